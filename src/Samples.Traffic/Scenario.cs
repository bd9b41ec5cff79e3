using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Samples.Traffic;

/// <summary>
/// What to send: a weighted steady mix plus incidents that join the mix on a schedule.
/// The JSON shape is this class's (camelCase, unknown keys refused); see scenarios/default.json.
/// </summary>
public sealed class Scenario
{
    /// <summary>The most copies of one entry run at once ("parallel").</summary>
    public const int MaxParallel = 500;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Free text, ignored (documentation inside the file).</summary>
    [JsonPropertyName("_comment")]
    public JsonNode? Comment { get; init; }

    /// <summary>Picks per second (a pick runs one entry: a request, a flow of steps, or a burst).</summary>
    public double RatePerSecond { get; init; } = 5;

    public IReadOnlyList<TrafficRequest> Requests { get; init; } = [];

    public IReadOnlyList<Incident> Incidents { get; init; } = [];

    /// <summary>Reads and validates a scenario file; any problem is a <see cref="ScenarioException"/> naming it.</summary>
    public static Scenario Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ScenarioException($"Cannot read the scenario file {path}: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates scenario JSON; <paramref name="source"/> names it in error messages.</summary>
    public static Scenario Parse(string json, string source = "scenario")
    {
        Scenario? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize<Scenario>(json, Json);
        }
        catch (JsonException e)
        {
            var where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            throw new ScenarioException($"{source} is not a valid scenario{where}: {FirstSentence(e.Message)}", e);
        }

        if (scenario is null)
        {
            throw new ScenarioException($"{source} is empty (null); it needs at least \"requests\".");
        }

        scenario.Validate(source);
        return scenario;
    }

    /// <summary>Throws a <see cref="ScenarioException"/> naming the first problem (for scenarios built in code).</summary>
    public void Validate(string source = "scenario")
    {
        List<string> problems = [];
        if (!(RatePerSecond > 0) || double.IsInfinity(RatePerSecond))
        {
            problems.Add($"\"ratePerSecond\" must be a positive number (was {RatePerSecond.ToString(CultureInfo.InvariantCulture)})");
        }

        if (Requests is null || Requests.Count == 0)
        {
            problems.Add("\"requests\" must list at least one request");
        }
        else
        {
            ValidateMix(Requests, "requests", problems);
        }

        for (var i = 0; i < (Incidents?.Count ?? 0); i++)
        {
            var incident = Incidents![i];
            var at = $"incidents[{i}]{Named(incident?.Name)}";
            if (incident is null)
            {
                problems.Add($"{at} is null");
                continue;
            }

            if (string.IsNullOrWhiteSpace(incident.Name))
            {
                problems.Add($"{at}: an incident needs a \"name\" (it is shown in the summary)");
            }
            else if (Incidents.Take(i).Any(earlier => string.Equals(earlier?.Name, incident.Name, StringComparison.Ordinal)))
            {
                problems.Add($"{at}: another incident has this \"name\" (each is its own traffic_incident_active series)");
            }

            if (!(incident.DurationSeconds > 0))
            {
                problems.Add($"{at}: \"durationSeconds\" must be positive");
            }

            if (incident.StartAfterSeconds < 0)
            {
                problems.Add($"{at}: \"startAfterSeconds\" must not be negative");
            }

            if (incident.EverySeconds != 0 && incident.EverySeconds < incident.DurationSeconds)
            {
                problems.Add($"{at}: \"everySeconds\" must be 0 (once) or at least \"durationSeconds\"");
            }

            if (!(incident.Share > 0 && incident.Share <= 1))
            {
                problems.Add($"{at}: \"share\" must be in (0, 1]");
            }

            if (incident.Requests is null || incident.Requests.Count == 0)
            {
                problems.Add($"{at}: \"requests\" must list at least one request");
            }
            else
            {
                ValidateMix(incident.Requests, $"{at}.requests", problems);
            }
        }

        if (problems.Count > 0)
        {
            throw new ScenarioException($"{source} is not a valid scenario: {string.Join("; ", problems)}.");
        }
    }

    private static void ValidateMix(IReadOnlyList<TrafficRequest> requests, string path, List<string> problems)
    {
        for (var i = 0; i < requests.Count; i++)
        {
            var request = requests[i];
            var at = $"{path}[{i}]{Named(request?.Name)}";
            if (request is null)
            {
                problems.Add($"{at} is null");
                continue;
            }

            if (!(request.Weight > 0) || double.IsInfinity(request.Weight))
            {
                problems.Add($"{at}: \"weight\" must be a positive number");
            }

            if (request.Burst < 1)
            {
                problems.Add($"{at}: \"burst\" must be at least 1");
            }

            if (request.Parallel is < 1 or > MaxParallel)
            {
                problems.Add($"{at}: \"parallel\" must be 1 to {MaxParallel}");
            }

            if (request.Steps is { Count: > 0 } steps)
            {
                if (request.Path is not null || request.Json is not null || request.Headers is not null || request.Login is not null)
                {
                    problems.Add($"{at}: write either \"steps\" or the single request's \"method\"/\"path\"/\"headers\"/\"json\"/\"login\", not both");
                }

                for (var s = 0; s < steps.Count; s++)
                {
                    ValidateStep(steps[s], $"{at}.steps[{s}]", problems);
                }
            }
            else if (request.Steps is { Count: 0 })
            {
                problems.Add($"{at}: \"steps\" is empty");
            }
            else
            {
                ValidateStep(request, at, problems);
            }
        }
    }

    private static void ValidateStep(TrafficStep? step, string at, List<string> problems)
    {
        if (step is null)
        {
            problems.Add($"{at} is null");
            return;
        }

        if (string.IsNullOrWhiteSpace(step.Path))
        {
            problems.Add($"{at}: a request needs a \"path\" (for example \"/api/users/1\")");
        }
        else if (!step.Path.StartsWith('/') && !step.Path.StartsWith('{'))
        {
            problems.Add($"{at}: \"path\" must start with '/' or be a placeholder such as \"{{location}}\" (was \"{step.Path}\")");
        }

        if (string.IsNullOrWhiteSpace(step.Method) || !step.Method.All(char.IsAsciiLetter))
        {
            problems.Add($"{at}: \"method\" must be an HTTP method such as GET (was \"{step.Method}\")");
        }

        if (step.Login is not null && string.IsNullOrWhiteSpace(step.Login))
        {
            problems.Add($"{at}: \"login\" must name a demo user (bob or alice)");
        }
    }

    private static string Named(string? name) => string.IsNullOrWhiteSpace(name) ? "" : $" ('{name}')";

    // System.Text.Json appends "Path: $... | LineNumber: ..." which the caller already formats.
    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path: ", StringComparison.Ordinal);
        return (cut > 0 ? message[..cut] : message).TrimEnd();
    }
}

/// <summary>One HTTP request of a flow. Placeholders: {unique}, {etag}, {location} (see <see cref="TrafficRequest"/>).</summary>
public class TrafficStep
{
    [JsonPropertyName("_comment")]
    public JsonNode? Comment { get; init; }

    public string Method { get; init; } = "GET";

    /// <summary>Path and query on the gateway, e.g. "/api/users/1", or "{location}".</summary>
    public string? Path { get; init; }

    public IReadOnlyDictionary<string, string>? Headers { get; init; }

    /// <summary>A JSON body (sent as application/json); string values may hold placeholders.</summary>
    public JsonNode? Json { get; init; }

    /// <summary>Send a bearer token of this demo user (password = user name), got from POST /api/login and reused.</summary>
    public string? Login { get; init; }

    /// <summary>Open a WebSocket at Path instead (101), send one message, read its echo, close.</summary>
    public bool WebSocket { get; init; }
}

/// <summary>
/// An entry of the weighted mix: a single request (the <see cref="TrafficStep"/> fields) or a flow of
/// <see cref="Steps"/>, repeated <see cref="Burst"/> times in a row, <see cref="Parallel"/> copies at once. In a flow, {unique} is one value per run of
/// the flow, {etag} and {location} are the ETag and Location headers of the flow's latest response carrying one.
/// </summary>
public sealed class TrafficRequest : TrafficStep
{
    public string? Name { get; init; }

    public double Weight { get; init; } = 1;

    public int Burst { get; init; } = 1;

    /// <summary>Copies of the entry run at once (a load spike); each copy runs its burst.</summary>
    public int Parallel { get; init; } = 1;

    public IReadOnlyList<TrafficStep>? Steps { get; init; }

    internal IReadOnlyList<TrafficStep> Flow => Steps is { Count: > 0 } steps ? steps : [this];
}

/// <summary>
/// A period during which <see cref="Share"/> of the picks come from the incident's own requests: active from
/// <see cref="StartAfterSeconds"/> for <see cref="DurationSeconds"/>, again every <see cref="EverySeconds"/> (0: once).
/// </summary>
public sealed class Incident
{
    [JsonPropertyName("_comment")]
    public JsonNode? Comment { get; init; }

    public string Name { get; init; } = "";

    public double EverySeconds { get; init; }

    public double StartAfterSeconds { get; init; }

    public double DurationSeconds { get; init; }

    public double Share { get; init; } = 0.5;

    public IReadOnlyList<TrafficRequest> Requests { get; init; } = [];

    /// <summary>Whether the incident is on at <paramref name="scenarioSeconds"/> since the start.</summary>
    public bool IsActiveAt(double scenarioSeconds)
    {
        var since = scenarioSeconds - StartAfterSeconds;
        if (since < 0)
        {
            return false;
        }

        return EverySeconds > 0 ? since % EverySeconds < DurationSeconds : since < DurationSeconds;
    }
}

/// <summary>A scenario that cannot be used; the message names the file and what is wrong.</summary>
public sealed class ScenarioException : Exception
{
    public ScenarioException()
    {
    }

    public ScenarioException(string message)
        : base(message)
    {
    }

    public ScenarioException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
