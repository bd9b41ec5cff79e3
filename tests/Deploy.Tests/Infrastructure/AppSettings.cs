using System.Text.Json;

namespace Deploy.Tests.Infrastructure;

/// <summary>The gateway's route file (the root appsettings.json, or the Kubernetes copy): routes, clusters, destinations.</summary>
internal sealed class AppSettings
{
    private AppSettings(JsonElement root)
    {
        Root = root;
        var proxy = root.GetProperty("ReverseProxy");
        RouteIds = proxy.GetProperty("Routes").EnumerateObject().Select(route => route.Name).ToHashSet(StringComparer.Ordinal);
        Destinations = proxy.GetProperty("Clusters").EnumerateObject().ToDictionary(
            cluster => cluster.Name,
            cluster => (IReadOnlyDictionary<string, Uri>)cluster.Value.GetProperty(nameof(Destinations)).EnumerateObject().ToDictionary(
                destination => destination.Name,
                destination => new Uri(destination.Value.GetProperty("Address").GetString()!),
                StringComparer.Ordinal),
            StringComparer.Ordinal);
    }

    public JsonElement Root { get; }

    public IReadOnlySet<string> RouteIds { get; }

    public IReadOnlySet<string> ClusterIds => Destinations.Keys.ToHashSet(StringComparer.Ordinal);

    /// <summary>Cluster id → destination id → address.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, Uri>> Destinations { get; }

    public static AppSettings Parse(string json) =>
        new(JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true }).RootElement.Clone());

    public static AppSettings LoadRoot() => Parse(Repository.Read("appsettings.json"));

    /// <summary>A value by configuration path ("RateLimiting:Store"), null when absent.</summary>
    public string? Value(string path)
    {
        var current = Root;
        foreach (var key in path.Split(':'))
        {
            if (current.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            var match = current.EnumerateObject().FirstOrDefault(property => string.Equals(property.Name, key, StringComparison.OrdinalIgnoreCase));
            if (match.Value.ValueKind == JsonValueKind.Undefined)
            {
                return null;
            }

            current = match.Value;
        }

        return current.ValueKind == JsonValueKind.String ? current.GetString() : current.GetRawText();
    }
}
