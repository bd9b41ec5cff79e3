using System.Net.Security;
using Grpc.Core;
using Grpc.Net.Client;
using Samples.Grpc.V1;

namespace Samples.Traffic;

/// <summary>
/// gRPC calls to the gRPC sample (samples.v1.Sample) through the gateway, counted by the grpc-status the client got:
/// mostly unary OK calls, every tenth a deliberate failure of the sample, every tenth a short server stream.
/// </summary>
internal sealed class GrpcTraffic : IDisposable
{
    // The sample's deliberate failures, taken in turn (Protos/sample.proto fail_with).
    private static readonly StatusCode[] Failures =
        [StatusCode.Unavailable, StatusCode.NotFound, StatusCode.ResourceExhausted, StatusCode.PermissionDenied, StatusCode.Internal];

    private readonly GrpcChannel _channel;
    private readonly Sample.SampleClient _client;
    private readonly TrafficTally _tally;
    private long _calls;

    public GrpcTraffic(Uri address, bool anyCertificate, TimeSpan timeout, TrafficTally tally)
    {
        var handler = new SocketsHttpHandler { EnableMultipleHttp2Connections = true };
        if (anyCertificate)
        {
            // Asked for (--GrpcInsecure): the demo's self-signed certificate, which nobody trusts.
#pragma warning disable CA5359 // Do not disable certificate validation
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = (_, _, _, _) => true };
#pragma warning restore CA5359
        }

        _channel = GrpcChannel.ForAddress(address, new GrpcChannelOptions { HttpHandler = handler, DisposeHttpClient = true });
        _client = new Sample.SampleClient(_channel);
        _tally = tally;
        Timeout = timeout;
    }

    private TimeSpan Timeout { get; }

    /// <summary>One call, counted by its status; a call cut by <paramref name="abort"/> is counted cancelled.</summary>
    public async Task CallAsync(CancellationToken abort)
    {
        var index = Interlocked.Increment(ref _calls) - 1;
        // The client's own bound, as HttpClient.Timeout is for the HTTP requests (not a gRPC deadline, which the
        // gateway would answer itself): a call cut by it counts CANCELLED.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(abort);
        timeout.CancelAfter(Timeout);
        var options = new CallOptions(cancellationToken: timeout.Token);
        try
        {
            if (index % 10 == 7)
            {
                using var call = _client.Watch(new WatchRequest { Count = 3, IntervalMs = 20 }, options);
                await foreach (var _ in call.ResponseStream.ReadAllAsync(timeout.Token).ConfigureAwait(false))
                {
                }
            }
            else
            {
                var failWith = index % 10 == 3 ? Failures[index / 10 % Failures.Length] : StatusCode.OK;
                await _client.GetAsync(new GetRequest { Id = (int)(index % 100), FailWith = (int)failWith }, options).ConfigureAwait(false);
            }

            _tally.RecordGrpc(StatusCode.OK);
        }
        catch (RpcException) when (abort.IsCancellationRequested)
        {
            _tally.RecordCancelled();
        }
        catch (OperationCanceledException) when (abort.IsCancellationRequested)
        {
            _tally.RecordCancelled();
        }
        catch (RpcException e)
        {
            _tally.RecordGrpc(e.StatusCode);
        }
        catch (OperationCanceledException)
        {
            _tally.RecordGrpc(StatusCode.Cancelled);
        }
    }

    public void Dispose() => _channel.Dispose();
}
