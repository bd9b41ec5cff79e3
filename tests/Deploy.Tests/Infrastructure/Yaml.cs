using YamlDotNet.RepresentationModel;

namespace Deploy.Tests.Infrastructure;

/// <summary>
/// YAML as plain values: mappings become <see cref="Map"/>, sequences <see cref="List{T}"/> of object,
/// scalars strings (null for an empty or null plain scalar). Aliases resolve to their anchor's value.
/// </summary>
internal static class Yaml
{
    public static IReadOnlyList<object?> LoadAll(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Select(document => Convert(document.RootNode)).Where(value => value is not null).ToList();
    }

    public static object? Load(string text) => LoadAll(text).SingleOrDefault();

    public static Map LoadMap(string text) =>
        Load(text) as Map ?? throw new InvalidDataException("The YAML document is not a mapping.");

    private static object? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new Map(mapping.Children.ToDictionary(
            pair => ((YamlScalarNode)pair.Key).Value ?? "",
            pair => Convert(pair.Value),
            StringComparer.Ordinal)),
        YamlSequenceNode sequence => sequence.Children.Select(Convert).ToList(),
        YamlScalarNode scalar when scalar.Style == YamlDotNet.Core.ScalarStyle.Plain
            && (scalar.Value is null or "" or "~" or "null") => null,
        YamlScalarNode scalar => scalar.Value ?? "",
        _ => null,
    };
}

/// <summary>A YAML mapping with typed getters that name the missing path in their failure.</summary>
internal sealed class Map(Dictionary<string, object?> values)
{
    public IReadOnlyDictionary<string, object?> Values => values;

    public void Set(string key, object? value) => values[key] = value;

    public IEnumerable<string> Keys => Values.Keys;

    public bool Has(string key) => Values.ContainsKey(key);

    public object? this[string key] => Values.GetValueOrDefault(key);

    public Map? MapOrNull(string key) => this[key] as Map;

    public Map MapAt(params string[] path)
    {
        var current = this;
        foreach (var key in path)
        {
            current = current.MapOrNull(key) ?? throw new KeyNotFoundException($"No mapping at '{string.Join('.', path)}' (missing '{key}').");
        }

        return current;
    }

    public List<object?> ListOrEmpty(string key) => this[key] as List<object?> ?? [];

    public string? StringOrNull(string key) => this[key] as string;

    public string String(string key) =>
        StringOrNull(key) ?? throw new KeyNotFoundException($"No string at '{key}' (keys: {string.Join(", ", Keys)}).");
}
