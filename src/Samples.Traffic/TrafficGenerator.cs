using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace Samples.Traffic;

/// <summary>
/// Sends a scenario's weighted mix (and its incidents) to the gateway at a steady rate, with bounded concurrency,
/// printing a one-line summary per interval and a total at the end. Failed requests are counted, never thrown.
/// </summary>
public sealed class TrafficGenerator
{
    private static readonly TimeSpan TokenLifetime = TimeSpan.FromMinutes(30);

    private readonly TrafficOptions _options;
    private readonly string _scenarioSource;

    /// <summary>Loads and validates the scenario now, so a bad one fails here with a <see cref="ScenarioException"/>.</summary>
    public TrafficGenerator(TrafficOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        if (options.Scenario is { } scenario)
        {
            scenario.Validate();
            Scenario = scenario;
            _scenarioSource = "(in code)";
        }
        else
        {
            _scenarioSource = options.ScenarioPath ?? DefaultScenarioPath;
            Scenario = Scenario.Load(_scenarioSource);
        }
    }

    /// <summary>The bundled scenarios/default.json next to the binary.</summary>
    public static string DefaultScenarioPath => Path.Combine(AppContext.BaseDirectory, "scenarios", "default.json");

    public Scenario Scenario { get; }

    /// <summary>The most requests one pick sends at once (its "parallel"), steady or in an incident.</summary>
    private int WidestPick =>
        Scenario.Requests.Concat(_options.Incidents ? Scenario.Incidents.SelectMany(incident => incident.Requests) : []).Max(request => (int?)request.Parallel) ?? 1;

    /// <summary>Everything sent by this generator's runs, per status code (logins included).</summary>
    public TrafficTally Tally { get; } = new();

    public double RatePerSecond => _options.RatePerSecond ?? Scenario.RatePerSecond;

    /// <summary>
    /// Sends until <paramref name="cancellationToken"/> is cancelled (in-flight requests are cancelled) or the
    /// duration has passed (in-flight requests may finish), then writes the total. Completes normally on cancellation.
    /// </summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var output = _options.Output ?? TextWriter.Null;
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            // A pick holds one slot, but a "parallel" entry sends that many at once: with one connection a slot, the
            // demo's load spike (150 against 32) waited in this pool, up to the 30 s timeout, and the gateway shed none.
            MaxConnectionsPerServer = _options.MaxInFlight + WidestPick - 1,
        };
        using var client = new HttpClient(handler, disposeHandler: false)
        {
            BaseAddress = _options.Gateway,
            Timeout = _options.RequestTimeout,
        };
        client.DefaultRequestHeaders.UserAgent.ParseAdd("Samples.Traffic/1.0");

        using var stopSending = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var stopSummaries = new CancellationTokenSource();
        if (_options.Duration is { } duration)
        {
            stopSending.CancelAfter(duration);
        }

        using var grpc = _options.GrpcGateway is { } grpcGateway
            ? new GrpcTraffic(grpcGateway, _options.GrpcInsecure, _options.RequestTimeout, Tally)
            : null;
        using var run = new Run(this, client, grpc, abort.Token);
        var start = Tally.Snapshot();
        var clock = Stopwatch.StartNew();
        await using var metrics = _options.Urls is { } urls
            ? await IncidentMetrics.StartAsync(urls, () => Scenario.Incidents.Select(incident =>
                (incident.Name, _options.Incidents && incident.IsActiveAt(clock.Elapsed.TotalSeconds * _options.IncidentTimeScale)))).ConfigureAwait(false)
            : null;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"traffic: {RatePerSecond:0.##}/s to {_options.Gateway} from {_scenarioSource}; incidents {(_options.Incidents && Scenario.Incidents.Count > 0 ? $"on (time x{_options.IncidentTimeScale:0.##})" : "off")}; {(_options.Duration is { } d ? $"for {d.TotalSeconds:0.#} s" : "until stopped (Ctrl+C)")}{(metrics is null ? "" : $"; metrics on {string.Join(' ', metrics.Urls)}/metrics")}")).ConfigureAwait(false);
        if (_options.GrpcGateway is { } grpcUrl)
        {
            await output.WriteLineAsync($"gRPC to {grpcUrl}{(_options.GrpcInsecure ? " (any certificate)" : "")}").ConfigureAwait(false);
        }

        var summaries = _options.Summaries ? SummarizeAsync(run, output, start, stopSummaries.Token) : Task.CompletedTask;
        await run.SendAsync(clock, stopSending.Token).ConfigureAwait(false);

        if (!cancellationToken.IsCancellationRequested)
        {
            abort.CancelAfter(_options.DrainTimeout);
        }

        await run.DrainAsync().ConfigureAwait(false);
        await stopSummaries.CancelAsync().ConfigureAwait(false);
        await summaries.ConfigureAwait(false);

        var total = Tally.Snapshot().Since(start);
        var cancelled = total.Cancelled > 0 ? $"  cancelled {total.Cancelled}" : "";
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"total {clock.Elapsed.TotalSeconds:0.0} s  {total.ToSummary()}{GrpcSummary(total)}{cancelled}")).ConfigureAwait(false);
        await output.WriteLineAsync($"codes  {total.ToCodes()}").ConfigureAwait(false);
        if (total.Failed > 0)
        {
            await output.WriteLineAsync($"failed {total.ToFailureReasons()}").ConfigureAwait(false);
        }

        if (grpc is not null)
        {
            await output.WriteLineAsync($"grpc   {total.ToGrpcCodes()}").ConfigureAwait(false);
        }
        await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
    }

    private async Task SummarizeAsync(Run run, TextWriter output, TrafficCounts start, CancellationToken stop)
    {
        var previous = start;
        using var timer = new PeriodicTimer(_options.SummaryInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false))
            {
                var now = Tally.Snapshot();
                var since = now.Since(previous);
                var incidents = run.TakeIncidentsSeen();
                var incidentText = incidents.Count > 0 ? $"  (incident: {string.Join(", ", incidents)})" : "";
                await output.WriteLineAsync(
                    $"{DateTime.Now.ToString("HH:mm:ss", CultureInfo.InvariantCulture)}  {since.ToSummary()}{GrpcSummary(since)}{incidentText}").ConfigureAwait(false);
                await output.FlushAsync(CancellationToken.None).ConfigureAwait(false);
                previous = now;
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
    }

    private string GrpcSummary(TrafficCounts counts) => _options.GrpcGateway is null ? "" : counts.ToGrpcSummary();

    /// <summary>The state of one run: the client, the concurrency slots, cached tokens.</summary>
    private sealed class Run(TrafficGenerator generator, HttpClient client, GrpcTraffic? grpc, CancellationToken abort) : IDisposable
    {
        private readonly TrafficOptions _options = generator._options;
        private readonly SemaphoreSlim _slots = new(generator._options.MaxInFlight);
        private readonly SemaphoreSlim _loginGate = new(1);
        private readonly Dictionary<string, (string Token, DateTime At)> _tokens = new(StringComparer.Ordinal);
        private readonly Lock _incidentGate = new();
        private readonly SortedSet<string> _incidentsSeen = new(StringComparer.Ordinal);
        private readonly string _runId = Convert.ToHexStringLower(Guid.NewGuid().ToByteArray())[..8];
        private readonly WeightedMix _steady = new(generator.Scenario.Requests);
        private readonly (Incident Incident, WeightedMix Mix)[] _incidents = generator._options.Incidents
            ? [.. generator.Scenario.Incidents.Select(incident => (incident, new WeightedMix(incident.Requests)))]
            : [];

        // With a gRPC gateway, every fifth pick is a gRPC call instead of a scenario entry.
        private const int GrpcEvery = 5;

        private long _unique;

        public void Dispose()
        {
            _slots.Dispose();
            _loginGate.Dispose();
        }

        public IReadOnlyList<string> TakeIncidentsSeen()
        {
            lock (_incidentGate)
            {
                var seen = _incidentsSeen.ToList();
                _incidentsSeen.Clear();
                return seen;
            }
        }

        /// <summary>Starts picks at the rate until <paramref name="stop"/>; each pick holds one slot while it runs.</summary>
        public async Task SendAsync(Stopwatch clock, CancellationToken stop)
        {
            var rate = generator.RatePerSecond;
            var random = new Random();
            using var timer = new PeriodicTimer(TimeSpan.FromSeconds(Math.Clamp(1 / rate, 0.005, 0.1)));
            long launched = 0;
            try
            {
                do
                {
                    var due = (long)(clock.Elapsed.TotalSeconds * rate) + 1;
                    // After a stall (all slots busy) catch up by at most one second's worth, not in one flood.
                    launched = Math.Max(launched, due - (long)Math.Ceiling(rate));
                    while (launched < due)
                    {
                        await _slots.WaitAsync(stop).ConfigureAwait(false);
                        launched++;
                        if (grpc is not null && launched % GrpcEvery == 0)
                        {
                            _ = Task.Run(() => RunGrpcAsync(grpc), CancellationToken.None);
                            continue;
                        }

                        var entry = Pick(clock.Elapsed.TotalSeconds * _options.IncidentTimeScale, random);
                        _ = Task.Run(() => RunPickAsync(entry), CancellationToken.None);
                    }
                }
                while (await timer.WaitForNextTickAsync(stop).ConfigureAwait(false));
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
            }
        }

        /// <summary>Waits until every pick has ended (the abort token bounds how long they may take).</summary>
        public async Task DrainAsync()
        {
            for (var i = 0; i < _options.MaxInFlight; i++)
            {
                await _slots.WaitAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }

        private TrafficRequest Pick(double scenarioSeconds, Random random)
        {
            foreach (var (incident, mix) in _incidents)
            {
                if (incident.IsActiveAt(scenarioSeconds))
                {
                    lock (_incidentGate)
                    {
                        _incidentsSeen.Add(incident.Name);
                    }

                    if (random.NextDouble() < incident.Share)
                    {
                        return mix.Pick(random);
                    }
                }
            }

            return _steady.Pick(random);
        }

        private async Task RunGrpcAsync(GrpcTraffic calls)
        {
            try
            {
                await calls.CallAsync(abort).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // As for a pick: counted, never thrown into the loop.
                generator.Tally.RecordFailed(e);
            }
            finally
            {
                _slots.Release();
            }
        }

        private async Task RunPickAsync(TrafficRequest entry)
        {
            try
            {
                await Task.WhenAll(Enumerable.Range(0, entry.Parallel).Select(async _ =>
                {
                    for (var i = 0; i < entry.Burst && !abort.IsCancellationRequested; i++)
                    {
                        await RunFlowAsync(entry.Flow).ConfigureAwait(false);
                    }
                })).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                // Stopped while waiting (for a login): nothing was sent.
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // Never let one pick take the loop down; whatever it was, it did not get an answer.
                generator.Tally.RecordFailed(e);
            }
            finally
            {
                _slots.Release();
            }
        }

        private async Task RunFlowAsync(IReadOnlyList<TrafficStep> steps)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["unique"] = string.Create(CultureInfo.InvariantCulture, $"{_runId}-{Interlocked.Increment(ref _unique)}"),
            };
            foreach (var step in steps)
            {
                if (abort.IsCancellationRequested || !TryFill(step.Path!, values, json: false, out var path))
                {
                    return;
                }

                if (step.WebSocket)
                {
                    await EchoCountedAsync(path).ConfigureAwait(false);
                    continue;
                }

                string? token = null;
                if (step.Login is { } user && (token = await TokenAsync(user).ConfigureAwait(false)) is null)
                {
                    return;
                }

                using var request = new HttpRequestMessage(new HttpMethod(step.Method.ToUpperInvariant()), new Uri(path, UriKind.Relative));
                if (step.Json is { } json)
                {
                    if (!TryFill(json.ToJsonString(), values, json: true, out var body))
                    {
                        return;
                    }

                    request.Content = new StringContent(body, Encoding.UTF8, "application/json");
                }

                foreach (var (name, template) in step.Headers ?? new Dictionary<string, string>())
                {
                    if (!TryFill(template, values, json: false, out var value))
                    {
                        return;
                    }

                    if (!request.Headers.TryAddWithoutValidation(name, value))
                    {
                        request.Content?.Headers.Remove(name);
                        request.Content?.Headers.TryAddWithoutValidation(name, value);
                    }
                }

                if (token is not null)
                {
                    request.Headers.Authorization = new("Bearer", token);
                }

                var answer = await SendCountedAsync(request).ConfigureAwait(false);
                if (answer is null)
                {
                    return;
                }

                if (step.Login is { } loggedIn && answer.Value.Code == 401)
                {
                    Forget(loggedIn);
                }

                if (answer.Value.ETag is { } etag)
                {
                    values["etag"] = etag;
                }

                if (answer.Value.Location is { } location)
                {
                    values["location"] = location;
                }
            }
        }

        /// <summary>Sends and counts; null when there was no HTTP answer (counted failed, or cancelled by the stop).</summary>
        private async Task<(int Code, string? ETag, string? Location)?> SendCountedAsync(HttpRequestMessage request)
        {
            // Read the (small) body, as a real client would, so the connection can be reused.
            using var response = await SendAndCountAsync(request, readBody: true).ConfigureAwait(false);
            if (response is null)
            {
                return null;
            }

            var location = response.Headers.Location is { } url ? (url.IsAbsoluteUri ? url.PathAndQuery : url.OriginalString) : null;
            return ((int)response.StatusCode, response.Headers.ETag?.ToString(), location);
        }

        /// <summary>A WebSocket session through the gateway: counted 101 when the upgrade succeeds, else the status refused with.</summary>
        private async Task EchoCountedAsync(string path)
        {
            using var socket = new ClientWebSocket();
            socket.Options.CollectHttpResponseDetails = true;
            var http = new Uri(client.BaseAddress!, path);
            var url = new UriBuilder(http) { Scheme = http.Scheme == Uri.UriSchemeHttps ? "wss" : "ws" }.Uri;
            try
            {
                await socket.ConnectAsync(url, abort).ConfigureAwait(false);
                generator.Tally.Record((int)socket.HttpStatusCode);
                await socket.SendAsync("ping"u8.ToArray(), WebSocketMessageType.Text, endOfMessage: true, abort).ConfigureAwait(false);
                await socket.ReceiveAsync(new byte[64], abort).ConfigureAwait(false);
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", abort).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                if (socket.HttpStatusCode == 0)
                {
                    generator.Tally.RecordCancelled();
                }
            }
            catch (WebSocketException e)
            {
                // Refused with an HTTP status (counted as such), or no answer at all; after the 101 it is already counted.
                if (socket.HttpStatusCode == 0)
                {
                    generator.Tally.RecordFailed(e);
                }
                else if (socket.HttpStatusCode != HttpStatusCode.SwitchingProtocols)
                {
                    generator.Tally.Record((int)socket.HttpStatusCode);
                }
            }
        }

        /// <summary>The one place a request is sent and its outcome counted: a status, failed, or cancelled by the stop.</summary>
        private async Task<HttpResponseMessage?> SendAndCountAsync(HttpRequestMessage request, bool readBody)
        {
            HttpResponseMessage? response = null;
            try
            {
                response = await client.SendAsync(request, abort).ConfigureAwait(false);
                if (readBody)
                {
                    await response.Content.LoadIntoBufferAsync(abort).ConfigureAwait(false);
                }

                generator.Tally.Record((int)response.StatusCode);
                return response;
            }
            catch (OperationCanceledException) when (abort.IsCancellationRequested)
            {
                response?.Dispose();
                generator.Tally.RecordCancelled();
                return null;
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or IOException)
            {
                // Refused, reset, or the client's own timeout: no status to count.
                response?.Dispose();
                generator.Tally.RecordFailed(e);
                return null;
            }
        }

        /// <summary>A bearer token for a demo user (password = user name), from POST /api/login, reused for a while.</summary>
        private async Task<string?> TokenAsync(string user)
        {
            await _loginGate.WaitAsync(abort).ConfigureAwait(false);
            try
            {
                if (_tokens.TryGetValue(user, out var cached) && DateTime.UtcNow - cached.At < TokenLifetime)
                {
                    return cached.Token;
                }

                using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/login", UriKind.Relative))
                {
                    Content = JsonContent.Create(new { username = user, password = user }),
                };
                using var response = await SendForTokenAsync(request).ConfigureAwait(false);
                if (response is null)
                {
                    return null;
                }

                var token = (await response.Content.ReadFromJsonAsync<JsonElement>(abort).ConfigureAwait(false)).GetProperty("token").GetString();
                if (token is not null)
                {
                    _tokens[user] = (token, DateTime.UtcNow);
                }

                return token;
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or NotSupportedException)
            {
                // A login answer without a token: the login itself was counted; the step is skipped.
                return null;
            }
            finally
            {
                _loginGate.Release();
            }
        }

        private async Task<HttpResponseMessage?> SendForTokenAsync(HttpRequestMessage request)
        {
            var response = await SendAndCountAsync(request, readBody: false).ConfigureAwait(false);
            if (response is { IsSuccessStatusCode: false })
            {
                response.Dispose();
                return null;
            }

            return response;
        }

        private void Forget(string user)
        {
            if (_loginGate.Wait(0))
            {
                _tokens.Remove(user);
                _loginGate.Release();
            }
        }

        /// <summary>Replaces {unique}, {etag}, {location}; false when one of them has no value yet in this flow.</summary>
        private static bool TryFill(string template, Dictionary<string, string> values, bool json, out string filled)
        {
            filled = template;
            var start = filled.IndexOf('{', StringComparison.Ordinal);
            while (start >= 0)
            {
                var end = filled.IndexOf('}', start + 1);
                if (end < 0)
                {
                    break;
                }

                var name = filled[(start + 1)..end];
                if (name is "unique" or "etag" or "location")
                {
                    if (!values.TryGetValue(name, out var value))
                    {
                        return false;
                    }

                    // Inside a JSON string value the replacement must be escaped (an ETag has quotes).
                    var text = json ? JsonEncodedText.Encode(value).ToString() : value;
                    filled = string.Concat(filled.AsSpan(0, start), text, filled.AsSpan(end + 1));
                    start = filled.IndexOf('{', start + text.Length);
                }
                else
                {
                    start = filled.IndexOf('{', start + 1);
                }
            }

            return true;
        }
    }

    /// <summary>Picks an entry with probability proportional to its weight.</summary>
    private sealed class WeightedMix
    {
        private readonly TrafficRequest[] _entries;
        private readonly double[] _cumulative;

        public WeightedMix(IReadOnlyList<TrafficRequest> entries)
        {
            _entries = [.. entries];
            _cumulative = new double[_entries.Length];
            var sum = 0.0;
            for (var i = 0; i < _entries.Length; i++)
            {
                sum += _entries[i].Weight;
                _cumulative[i] = sum;
            }
        }

        public TrafficRequest Pick(Random random)
        {
            var x = random.NextDouble() * _cumulative[^1];
            var index = Array.BinarySearch(_cumulative, x);
            index = index < 0 ? ~index : index + 1;
            return _entries[Math.Min(index, _entries.Length - 1)];
        }
    }
}
