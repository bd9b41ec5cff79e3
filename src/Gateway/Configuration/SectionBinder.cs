using Microsoft.Extensions.Configuration;

namespace Gateway.Configuration;

public static class SectionBinder
{
    /// <returns>The bound value, or null after adding the error (starting with the key, or with <paramref name="what"/> for unknown keys).</returns>
    public static T? Bind<T>(IConfigurationSection section, ICollection<string> errors, string what)
        where T : class, new()
    {
        try
        {
            return section.Get<T>(options => options.ErrorOnUnknownConfiguration = true) ?? new T();
        }
        catch (InvalidOperationException ex) when (UnknownKeys(section, ex) is { Count: > 0 } paths)
        {
            foreach (var path in paths)
            {
                errors.Add($"{what}: {path}: unknown key (misspelt?)");
            }

            return null;
        }
        catch (InvalidOperationException ex)
        {
            // The binder's text names the key in its middle; the error starts with it, like every other.
            var cause = ex.InnerException is null ? "" : $" ({ex.InnerException.Message})";
            errors.Add($"{WrongTypeKey<T>(section) ?? what}: {ex.Message}{cause}");
            return null;
        }
    }

    /// <summary>The first key whose value fails to bind on its own: the one of the wrong type (found without reading the binder's text).</summary>
    private static string? WrongTypeKey<T>(IConfigurationSection section)
        where T : class, new()
    {
        foreach (var (key, value) in section.AsEnumerable(makePathsRelative: true).Where(pair => pair.Value is not null && pair.Key.Length > 0))
        {
            try
            {
                new ConfigurationBuilder().AddInMemoryCollection([new(key, value)]).Build().Get<T>(options => options.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException)
            {
                return $"{section.Path}:{key}";
            }
        }

        return null;
    }

    /// <summary>
    /// The binder names an unknown key's type and property, not where it is ("... not found on the instance of
    /// RouteMatch: 'Pth'"); find the full key paths in the section so the message says where to look.
    /// </summary>
    private static List<string> UnknownKeys(IConfigurationSection section, InvalidOperationException ex)
    {
        var names = FrameworkMessages.UnknownConfigurationProperties(ex);
        if (names.Count == 0)
        {
            return [];
        }

        return section.AsEnumerable()
            .Select(pair => pair.Key)
            .SelectMany(key => Prefixes(key).Where(prefix => names.Contains(prefix[(prefix.LastIndexOf(':') + 1)..])))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<string> Prefixes(string key)
    {
        for (var end = key.IndexOf(':', StringComparison.Ordinal); end > 0; end = key.IndexOf(':', end + 1))
        {
            yield return key[..end];
        }

        yield return key;
    }
}
