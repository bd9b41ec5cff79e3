using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Gateway.Admin;
using Gateway.Auth;
using Gateway.Clients;
using Gateway.Configuration;
using Gateway.Errors;
using Gateway.IntegrationTests.Infrastructure;
using Gateway.Maintenance;
using Gateway.Observability;
using Gateway.RateLimiting;
using Json.Schema;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;
using Yarp.ReverseProxy.Configuration;

namespace Gateway.IntegrationTests;

/// <summary>
/// One file of ConfigExamples/invalid: a change to a copy of the root appsettings.json that must be rejected,
/// by the schema (unless <see cref="SchemaCatches"/> is false) and by the running gateway's reload (unless
/// <see cref="GatewayCatches"/> is false), both naming <see cref="ExpectKey"/>.
/// </summary>
public sealed record InvalidConfigExample(
    string Name,
    string Description,
    IReadOnlyList<KeyValuePair<string, JsonNode?>> Set,
    string ExpectKey,
    bool SchemaCatches,
    bool GatewayCatches,
    string? GatewayMessageWithoutKey)
{
    public static string Folder => Path.Combine(Repository.Root, "tests", "Gateway.IntegrationTests", "ConfigExamples", "invalid");

    public static IReadOnlyList<InvalidConfigExample> All { get; } = Directory.GetFiles(Folder, "*.json")
        .Order(StringComparer.Ordinal)
        .Select(Load)
        .ToList();

    public static TheoryData<string> Names()
    {
        var names = new TheoryData<string>();
        foreach (var example in All)
        {
            names.Add(example.Name);
        }

        return names;
    }

    public static InvalidConfigExample Named(string name) => All.Single(example => example.Name == name);

    /// <summary>Applies <see cref="Set"/>: each key is a dotted path (route ids may contain '-', not '.'), created as needed.</summary>
    public void ApplyTo(JsonObject config)
    {
        foreach (var (path, value) in Set)
        {
            TestConfig.Set(config, path.Split('.'), value?.DeepClone());
        }
    }

    private static InvalidConfigExample Load(string file)
    {
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        var name = Path.GetFileNameWithoutExtension(file);
        var set = json["set"]?.AsObject().Select(pair => KeyValuePair.Create(pair.Key, pair.Value?.DeepClone())).ToList();
        Assert.True(set is { Count: > 0 }, $"{name}: no \"set\"");
        var example = new InvalidConfigExample(
            name,
            json["description"]?.GetValue<string>() ?? throw new InvalidDataException($"{name}: no \"description\""),
            set!,
            json["expectKey"]?.GetValue<string>() ?? throw new InvalidDataException($"{name}: no \"expectKey\""),
            json["schemaCatches"]?.GetValue<bool>() ?? true,
            json["gatewayCatches"]?.GetValue<bool>() ?? true,
            json["gatewayMessageWithoutKey"]?.GetValue<string>());
        // An example that neither catches is not an invalid example; each exception must say why.
        Assert.True(example.SchemaCatches || json["schemaCatchesWhyNot"] is not null, $"{name}: schemaCatches false needs schemaCatchesWhyNot");
        Assert.True(example.GatewayCatches || json["gatewayCatchesWhyNot"] is not null, $"{name}: gatewayCatches false needs gatewayCatchesWhyNot");
        Assert.True(example.GatewayMessageWithoutKey is null || json["gatewayMessageWhyNot"] is not null, $"{name}: gatewayMessageWithoutKey needs gatewayMessageWhyNot");
        Assert.True(example.SchemaCatches || example.GatewayCatches, $"{name}: caught by neither the schema nor the gateway");
        return example;
    }
}

/// <summary>schemas/appsettings.schema.json: the shipped configs pass it, the invalid examples fail it at their key, and it knows every key the gateway binds strictly.</summary>
public sealed class ConfigSchemaTests(ITestOutputHelper output)
{
    private static readonly string SchemaPath = Path.Combine(Repository.Root, "schemas", "appsettings.schema.json");
    private static readonly string SchemaText = File.ReadAllText(SchemaPath);
    private static readonly JsonSchema Schema = JsonSchema.FromText(SchemaText);
    private static readonly JsonNode SchemaRoot = JsonNode.Parse(SchemaText)!;

    public static TheoryData<string> ShippedConfigs() => new() { "appsettings.json", "deploy/k8s/appsettings.json" };

    [Theory]
    [MemberData(nameof(ShippedConfigs))]
    public void The_shipped_config_is_valid_and_points_at_the_schema(string file)
    {
        var path = Path.Combine(Repository.Root, file);
        using var document = JsonDocument.Parse(File.ReadAllText(path));

        var errors = Errors(document.RootElement);
        Assert.True(errors.Count == 0, $"{file}:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");

        // The $schema reference is relative to the file; editors resolve it that way.
        var reference = document.RootElement.GetProperty("$schema").GetString()!;
        var target = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(path)!, reference));
        Assert.Equal(SchemaPath, target);
    }

    [Fact]
    public void There_are_invalid_examples() => Assert.True(InvalidConfigExample.All.Count >= 8);

    [Theory]
    [MemberData(nameof(InvalidConfigExample.Names), MemberType = typeof(InvalidConfigExample))]
    public void The_schema_rejects_each_invalid_example_at_its_key(string name)
    {
        var example = InvalidConfigExample.Named(name);
        var config = JsonNode.Parse(File.ReadAllText(Repository.RootConfigFile))!.AsObject();
        example.ApplyTo(config);
        using var document = JsonDocument.Parse(config.ToJsonString());

        var errors = Errors(document.RootElement);
        output.WriteLine(string.Join(Environment.NewLine, errors.Select(error => error.Message)));
        if (!example.SchemaCatches)
        {
            // Cross references: the schema cannot see them, so the example must pass it (else the flag is stale).
            Assert.True(errors.Count == 0, $"{name} is marked schemaCatches: false but the schema rejects it:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
            return;
        }

        Assert.True(
            errors.Any(error => error.Key == example.ExpectKey),
            $"{name}: no schema error at {example.ExpectKey}; errors:{Environment.NewLine}{string.Join(Environment.NewLine, errors)}");
    }

    /// <summary>
    /// Where the gateway binds with ErrorOnUnknownConfiguration, the schema has additionalProperties: false; its
    /// property names must then be exactly what the binder accepts, or it would flag valid keys or miss new ones.
    /// </summary>
    public static TheoryData<string, string> StrictObjects() => new()
    {
        { "/$defs/route", nameof(RouteConfig) },
        { "/$defs/routeMatch", nameof(RouteMatch) },
        { "/$defs/headerMatch", nameof(RouteHeader) },
        { "/$defs/queryMatch", nameof(RouteQueryParameter) },
        { "/$defs/cluster", nameof(ClusterConfig) },
        { "/$defs/destination", nameof(DestinationConfig) },
        { "/$defs/sessionAffinity", nameof(SessionAffinityConfig) },
        { "/$defs/sessionAffinity/properties/Cookie", nameof(SessionAffinityCookieConfig) },
        { "/$defs/healthCheck", nameof(HealthCheckConfig) },
        { "/$defs/healthCheck/properties/Active", nameof(ActiveHealthCheckConfig) },
        { "/$defs/healthCheck/properties/Passive", nameof(PassiveHealthCheckConfig) },
        { "/$defs/httpClient", nameof(HttpClientConfig) },
        { "/$defs/httpClient/properties/WebProxy", nameof(WebProxyConfig) },
        { "/$defs/httpRequest", "ForwarderRequestConfig" },
        { "/$defs/kestrelLimits", nameof(KestrelServerLimits) },
        { "/$defs/kestrelLimits/properties/Http2", nameof(Http2Limits) },
        { "/$defs/kestrelLimits/properties/Http3", nameof(Http3Limits) },
        { "/properties/RateLimiting", nameof(RateLimitingOptions) },
        { "/properties/RateLimiting/properties/Redis", nameof(RedisStoreOptions) },
        { "/$defs/rateLimitPolicy", nameof(RateLimitPolicyOptions) },
        { "/properties/Maintenance", nameof(MaintenanceOptions) },
        { "/properties/Maintenance/properties/Allow", nameof(MaintenanceAllowList) },
        { "/properties/Admin", nameof(AdminOptions) },
        { "/properties/Admin/properties/FailedKeyLimit", nameof(FailedKeyLimitOptions) },
        { "/$defs/adminKey", nameof(AdminKeyOptions) },
        { "/properties/Clients", nameof(ClientsOptions) },
        { "/properties/Clients/properties/ApiKeys/additionalProperties", nameof(ApiKeyOptions) },
        { "/properties/Auth", nameof(AuthOptions) },
        { "/properties/Metrics", nameof(MetricsOptions) },
        { "/properties/ProxyStatus", nameof(ProxyStatusOptions) },
    };

    [Theory]
    [MemberData(nameof(StrictObjects))]
    public void A_strict_schema_object_lists_exactly_the_bound_properties(string location, string typeName)
    {
        var type = BoundTypes.Single(candidate => candidate.Name == typeName);
        var node = SchemaNode(location);
        Assert.False(node["additionalProperties"]!.GetValue<bool>(), $"{location}: additionalProperties should be false");

        var inSchema = node["properties"]!.AsObject().Select(pair => pair.Key).Order(StringComparer.Ordinal).ToList();
        var bound = BindableProperties(type).Except(Unlisted, StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(bound, inSchema);
    }

    /// <summary>
    /// Every section the gateway registers (AddGatewaySection), walked from its options type into nested options,
    /// dictionaries' and lists' values: each bound property has a schema entry and each schema entry a property.
    /// </summary>
    [Fact]
    public void Every_registered_section_and_its_schema_list_the_same_properties()
    {
        var sections = RegisteredSections();
        Assert.Contains(sections, section => section.Name == "Maintenance");
        var problems = new List<string>();
        foreach (var section in sections)
        {
            var location = string.Concat(section.Name.Split(':').Select(part => $"/properties/{part}"));
            Compare(section.OptionsType, section.Name, Resolve(SchemaNode(location)), problems);
        }

        Assert.True(problems.Count == 0, string.Join(Environment.NewLine, problems));
    }

    private static void Compare(Type type, string key, JsonNode node, List<string> problems)
    {
        var inSchema = node["properties"]?.AsObject().ToDictionary(pair => pair.Key, pair => pair.Value!, StringComparer.Ordinal);
        if (inSchema is null)
        {
            problems.Add($"{key}: the schema lists no properties for {type.Name}");
            return;
        }

        var bound = BindableProperties(type).Except(Unlisted, StringComparer.Ordinal).ToList();
        problems.AddRange(bound.Except(inSchema.Keys, StringComparer.Ordinal).Select(name => $"{key}:{name}: a property of {type.Name} without a schema entry"));
        problems.AddRange(inSchema.Keys.Except(bound, StringComparer.Ordinal).Select(name => $"{key}:{name}: a schema entry without a property of {type.Name}"));
        foreach (var name in bound.Intersect(inSchema.Keys, StringComparer.Ordinal))
        {
            var propertyType = type.GetProperty(name)!.PropertyType;
            var child = Resolve(inSchema[name]);
            if (OptionsClass(propertyType))
            {
                Compare(propertyType, $"{key}:{name}", child, problems);
            }
            else if (ValueType(propertyType) is { } value && OptionsClass(value))
            {
                var values = child["additionalProperties"] ?? child["items"];
                if (values is JsonObject)
                {
                    Compare(value, $"{key}:{name}:*", Resolve(values), problems);
                }
                else
                {
                    problems.Add($"{key}:{name}: the schema does not describe the values ({value.Name})");
                }
            }
        }
    }

    /// <summary>The gateway's own option classes and YARP's or Kestrel's: objects with properties to bind.</summary>
    private static bool OptionsClass(Type type) =>
        type.IsClass && type != typeof(string) && !typeof(System.Collections.IEnumerable).IsAssignableFrom(type);

    /// <summary>The value type of a dictionary or list, else null.</summary>
    private static Type? ValueType(Type type) =>
        type.IsGenericType && typeof(System.Collections.IEnumerable).IsAssignableFrom(type) ? type.GetGenericArguments()[^1] : null;

    private static JsonNode Resolve(JsonNode? node) =>
        node?["$ref"]?.GetValue<string>() is { } reference ? Resolve(SchemaNode(reference.TrimStart('#'))) : node ?? throw new InvalidDataException("no schema node");

    private static List<GatewaySection> RegisteredSections()
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Configuration[ConfigFileExtensions.ConfigFileKey] = Repository.RootConfigFile;
        builder.AddGateway();
        using var provider = builder.Services.BuildServiceProvider();
        return [.. provider.GetServices<GatewaySection>()];
    }

    [Fact]
    public void Every_schema_property_has_a_description()
    {
        var missing = new List<string>();
        Walk(SchemaNode(""), "", missing);
        Assert.True(missing.Count == 0, "no description: " + string.Join(", ", missing));
    }

    /// <summary>Bound keys the schema leaves out on purpose: ids come from the object keys, and the data rates cannot be bound from config.</summary>
    private static readonly string[] Unlisted = ["RouteId", "ClusterId@cluster", "MinRequestBodyDataRate", "MinResponseDataRate"];

    private static readonly Type[] BoundTypes =
    [
        .. typeof(RouteConfig).Assembly.GetExportedTypes().Where(type => type.Namespace == "Yarp.ReverseProxy.Configuration" || type.Namespace == "Yarp.ReverseProxy.Forwarder"),
        typeof(KestrelServerLimits), typeof(Http2Limits), typeof(Http3Limits),
        typeof(RateLimitingOptions), typeof(RedisStoreOptions), typeof(RateLimitPolicyOptions),
        typeof(MaintenanceOptions), typeof(MaintenanceAllowList), typeof(AdminOptions), typeof(AdminKeyOptions), typeof(FailedKeyLimitOptions), typeof(AuthOptions), typeof(MetricsOptions),
        typeof(ClientsOptions), typeof(ApiKeyOptions), typeof(ProxyStatusOptions),
    ];

    private static IEnumerable<string> BindableProperties(Type type)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            var settable = property.SetMethod is { IsPublic: true };
            // The binder fills get-only properties of class type in place (Kestrel's Http2, Http3).
            var fillable = property.SetMethod is null && property.PropertyType.IsClass && property.PropertyType != typeof(string)
                && !typeof(System.Collections.IEnumerable).IsAssignableFrom(property.PropertyType);
            if (settable || fillable)
            {
                yield return type == typeof(ClusterConfig) && property.Name == "ClusterId" ? "ClusterId@cluster" : property.Name;
            }
        }
    }

    private static void Walk(JsonNode? node, string location, List<string> missing)
    {
        if (node is JsonObject obj)
        {
            if (obj["properties"] is JsonObject properties)
            {
                foreach (var (name, property) in properties)
                {
                    if (property is JsonObject definition && definition["description"] is null && definition["$ref"] is null)
                    {
                        missing.Add($"{location}/properties/{name}");
                    }
                }
            }

            foreach (var (name, child) in obj)
            {
                // Properties inside if/then/not only narrow what is declared and described elsewhere.
                if (name is not ("if" or "then" or "not"))
                {
                    Walk(child, $"{location}/{name}", missing);
                }
            }
        }
        else if (node is JsonArray array)
        {
            for (var i = 0; i < array.Count; i++)
            {
                Walk(array[i], $"{location}/{i}", missing);
            }
        }
    }

    private static JsonNode SchemaNode(string location)
    {
        var node = SchemaRoot;
        foreach (var segment in location.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            node = node[segment] ?? throw new KeyNotFoundException($"{location}: no {segment}");
        }

        return node;
    }

    /// <summary>
    /// The list output also holds the failures of subschemas that do not fail the document: an "if" that does not
    /// hold, the subschema under a "not" that holds (when "not" fails, the error is on the schema holding it).
    /// Those are left out. A failed branch of a passing
    /// anyOf/oneOf would look the same, so the schema uses none (checked below).
    /// </summary>
    private static bool Counts(string evaluationPath)
    {
        var segments = evaluationPath.Split('/');
        return !segments.Contains("if") && !segments.Contains("not");
    }

    [Fact]
    public void The_schema_uses_no_anyOf_or_oneOf_whose_failed_branches_would_read_as_errors()
    {
        Assert.DoesNotContain("\"anyOf\"", SchemaText, StringComparison.Ordinal);
        Assert.DoesNotContain("\"oneOf\"", SchemaText, StringComparison.Ordinal);
    }

    /// <summary>Schema errors with the instance location as a configuration key ("/ReverseProxy/Routes/chaos/Timeout" → "ReverseProxy:Routes:chaos:Timeout").</summary>
    internal static List<(string Key, string Message)> Errors(JsonElement instance)
    {
        var results = Schema.Evaluate(instance, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? []).Prepend(results)
            .Where(result => result.Errors is { Count: > 0 } && Counts(result.EvaluationPath.ToString()))
            .SelectMany(result => result.Errors!.Select(error => (
                Key: string.Join(':', result.InstanceLocation.ToString().Split('/', StringSplitOptions.RemoveEmptyEntries)
                    .Select(segment => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal))),
                Message: $"{result.InstanceLocation} ({result.EvaluationPath}): {error.Key}: {error.Value}")))];
    }
}

/// <summary>The running gateway rejects each invalid example on reload (health turns Degraded) with a message that names the same key the schema does.</summary>
public sealed class ConfigSchemaGatewayTests(ITestOutputHelper output) : PerTestGateway
{
    [Theory]
    [MemberData(nameof(InvalidConfigExample.Names), MemberType = typeof(InvalidConfigExample))]
    public async Task The_gateway_rejects_each_invalid_example_naming_its_key(string name)
    {
        var example = InvalidConfigExample.Named(name);
        if (!example.GatewayCatches)
        {
            // Pinned as it is: the gateway applies the edit. When it learns to reject it, flip gatewayCatches in the example.
            await Gateway.EditConfigAsync(Config, example.ApplyTo);
            Assert.Equal("Healthy", (await HealthAsync()).Status);
            return;
        }

        Config.Edit(example.ApplyTo);
        await Eventually.HoldsAsync(async () => (await HealthAsync()).Status == "Degraded", $"{name}: the health check reports the rejected edit");
        var description = (await HealthAsync()).Description;
        output.WriteLine(description);
        if (example.GatewayMessageWithoutKey is { } known)
        {
            // A known gap, pinned: the message says this instead of the key. When it names the key, drop the field.
            Assert.Contains(known, description, StringComparison.Ordinal);
            Assert.False(NamesKey(description, example.ExpectKey), $"{name}: the gateway now names {example.ExpectKey}; remove gatewayMessageWithoutKey");
            return;
        }

        Assert.True(
            NamesKey(description, example.ExpectKey),
            $"{name}: the gateway's message does not name {example.ExpectKey}:{Environment.NewLine}{description}");
        Assert.Equal(200, await StatusAsync("/api/users/1"));
    }

    /// <summary>
    /// The gateway names a key in two forms: a configuration path ("ReverseProxy:Routes:chaos:Timeout",
    /// "RateLimiting:Policies:search: PermitLimit must be at least 1") or YARP-style owners ("Route 'chaos'",
    /// "Cluster 'users', destination 'users-1'") followed by the property name. The owners are rewritten to paths
    /// ("ReverseProxy:Routes:chaos", "ReverseProxy:Clusters:users:Destinations:users-1"); then the message names the
    /// key when it holds the whole path, or holds the path without its last one or two segments and, elsewhere,
    /// the last segment as a whole word ("Route 'users-api': ... RouteMatch: 'Pth'" names ReverseProxy:Routes:users-api:Match:Pth).
    /// </summary>
    internal static bool NamesKey(string message, string key)
    {
        var normalised = Regex.Replace(message, @"Cluster '([^']+)', destination '([^']+)'", "ReverseProxy:Clusters:$1:Destinations:$2");
        normalised = Regex.Replace(normalised, @"Cluster '([^']+)'", "ReverseProxy:Clusters:$1");
        normalised = Regex.Replace(normalised, @"Route '([^']+)'", "ReverseProxy:Routes:$1");
        if (ContainsPath(normalised, key))
        {
            return true;
        }

        var segments = key.Split(':');
        var leaf = Regex.IsMatch(normalised, $@"(?<![A-Za-z0-9]){Regex.Escape(segments[^1])}(?![A-Za-z0-9])");
        for (var length = segments.Length - 1; leaf && length >= Math.Max(2, segments.Length - 2); length--)
        {
            if (ContainsPath(normalised, string.Join(':', segments[..length])))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsPath(string text, string path) =>
        Regex.IsMatch(text, $@"(?<![A-Za-z0-9:-]){Regex.Escape(path)}(?![A-Za-z0-9-])");

    private async Task<(string? Status, string Description)> HealthAsync()
    {
        var (_, report) = await Gateway.HealthReportAsync();
        var config = report.GetProperty("checks").GetProperty("config");
        return (report.GetProperty("status").GetString(), config.TryGetProperty("description", out var text) ? text.GetString() ?? "" : "");
    }
}
