using System.Globalization;
using System.Net.Security;
using Grpc.Core;
using Grpc.Net.Client;
using Samples.Grpc.V1;

namespace Samples.GrpcClient;

/// <summary>Makes one call to samples.v1.Sample and prints what the client got and who made it.</summary>
public static class GrpcClientCli
{
    public const int UsageExitCode = 64;

    public static async Task<int> RunAsync(string[] args, TextWriter output)
    {
        var (options, error) = ClientOptions.Parse(args);
        if (options is null)
        {
            await output.WriteLineAsync($"error: {error}\n{ClientOptions.Usage}");
            return UsageExitCode;
        }

        var capture = new ResponseCapture(NewHandler(options.Insecure));
        using var channel = GrpcChannel.ForAddress(options.Address, new GrpcChannelOptions { HttpHandler = capture, DisposeHttpClient = true });
        var client = new Sample.SampleClient(channel);
        var metadata = new Metadata();
        foreach (var (name, value) in options.Headers)
        {
            metadata.Add(name, value);
        }

        var callOptions = new CallOptions(
            headers: metadata,
            deadline: options.DeadlineMs is { } ms ? DateTime.UtcNow.AddMilliseconds(ms) : null);
        var method = options.Command == "get" ? "Get" : "Watch";
        var deadline = options.DeadlineMs is { } deadlineMs ? $", deadline {deadlineMs} ms" : "";
        await output.WriteLineAsync($"call    samples.v1.Sample/{method} at {options.Address}{deadline}");

        Status status;
        try
        {
            status = options.Command == "get"
                ? await GetAsync(client, options, callOptions, output)
                : await WatchAsync(client, options, callOptions, output);
        }
        catch (RpcException ex)
        {
            status = ex.Status;
        }

        await PrintOutcomeAsync(status, capture.Response, output);
        return (int)status.StatusCode;
    }

    private static async Task<Status> GetAsync(Sample.SampleClient client, ClientOptions options, CallOptions callOptions, TextWriter output)
    {
        using var call = client.GetAsync(new GetRequest { Id = options.Id, FailWith = options.FailWith, DelayMs = options.DelayMs }, callOptions);
        var reply = await call.ResponseAsync;
        await output.WriteLineAsync($"reply   {reply}");
        return call.GetStatus();
    }

    private static async Task<Status> WatchAsync(Sample.SampleClient client, ClientOptions options, CallOptions callOptions, TextWriter output)
    {
        var request = new WatchRequest
        {
            Count = options.Count,
            IntervalMs = options.IntervalMs,
            ResetAfter = options.ResetAfter,
            FailWith = options.FailWith,
            DelayMs = options.DelayMs,
        };
        using var call = client.Watch(request, callOptions);
        await foreach (var reply in call.ResponseStream.ReadAllAsync())
        {
            await output.WriteLineAsync($"reply   {reply}");
        }

        return call.GetStatus();
    }

    private static async Task PrintOutcomeAsync(Status status, HttpResponseMessage? response, TextWriter output)
    {
        if (response is null)
        {
            await output.WriteLineAsync("http    no response");
        }
        else
        {
            var version = response.Version.Major >= 2 ? response.Version.Major.ToString(CultureInfo.InvariantCulture) : response.Version.ToString();
            await output.WriteLineAsync($"http    HTTP/{version} {(int)response.StatusCode}");
            foreach (var (name, values) in response.Headers.Concat(response.Content.Headers))
            {
                await output.WriteLineAsync($"header  {name.ToLowerInvariant()}: {string.Join(", ", values)}");
            }

            // Read once the body is done: empty for a trailers-only answer (its grpc-status is a header) or a reset stream.
            foreach (var (name, values) in response.TrailingHeaders)
            {
                await output.WriteLineAsync($"trailer {name.ToLowerInvariant()}: {string.Join(", ", values)}");
            }
        }

        await output.WriteLineAsync($"status  {status.StatusCode} ({(int)status.StatusCode}): {status.Detail}");
        if (status.DebugException is { } exception)
        {
            await output.WriteLineAsync($"cause   {exception.GetType().Name}: {exception.Message}");
        }

        await output.WriteLineAsync($"by      {MadeBy(response)}");
    }

    /// <summary>Who decided the status, as far as the client can tell.</summary>
    private static string MadeBy(HttpResponseMessage? response)
    {
        if (response is null)
        {
            return "the client: no HTTP response arrived (connection failed, or the deadline passed first)";
        }

        if (response.Headers.TryGetValues("proxy-status", out var proxyStatus))
        {
            return ProxyMadeBy(string.Join(", ", proxyStatus));
        }

        var grpcStatus = response.Headers.Contains("grpc-status") || response.TrailingHeaders.Contains("grpc-status");
        return grpcStatus
            ? "the server's grpc-status (no Proxy-Status: the upstream, or a proxy that does not say)"
            : "the client, from the HTTP outcome: no grpc-status arrived (stream reset, or not a gRPC answer)";
    }

    /// <summary>
    /// The member nearest the client (RFC 9209 lists them origin first) says whether that proxy made the answer
    /// (<c>error=type</c>) or passed on the next hop's (<c>received-status</c>).
    /// </summary>
    private static string ProxyMadeBy(string header)
    {
        var member = header.Split(',')[^1].Trim();
        var parameters = member.Split(';', StringSplitOptions.TrimEntries);
        var name = parameters[0];
        var error = parameters.FirstOrDefault(parameter => parameter.StartsWith("error=", StringComparison.Ordinal));
        if (error is not null)
        {
            return $"the gateway made it ({name}, {error}); Proxy-Status: {header}";
        }

        return parameters.Any(parameter => parameter.StartsWith("received-status=", StringComparison.Ordinal))
            ? $"the upstream answered and the gateway passed it through ({name}); Proxy-Status: {header}"
            : $"the gateway answered without asking the upstream ({name}, e.g. from its cache); Proxy-Status: {header}";
    }

    private static SocketsHttpHandler NewHandler(bool insecure)
    {
        var handler = new SocketsHttpHandler();
        if (insecure)
        {
            // Asked for on the command line (--insecure), for a self-signed certificate on localhost.
#pragma warning disable CA5359 // Do not disable certificate validation
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
#pragma warning restore CA5359
        }

        return handler;
    }
}
