using System.Text;
using System.Text.RegularExpressions;

namespace Deploy.Tests.Infrastructure;

/// <summary>
/// A .dockerignore as Docker applies it: patterns relative to the context root (a leading "/" dropped),
/// "*" and "?" within one segment, "**" across segments, a pattern also excluding everything under a
/// directory it matches, "!" re-including, the last matching line winning.
/// </summary>
internal sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Exclude)> _rules;

    private DockerIgnore(List<(Regex, bool)> rules) => _rules = rules;

    public static DockerIgnore Load(string contextDirectory)
    {
        var path = Path.Combine(contextDirectory, ".dockerignore");
        var lines = File.Exists(path) ? File.ReadAllLines(path) : [];
        var rules = new List<(Regex, bool)>();
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var exclude = !line.StartsWith('!');
            var pattern = (exclude ? line : line[1..]).Trim().Trim('/');
            if (pattern.Length > 0)
            {
                rules.Add((ToRegex(pattern), exclude));
            }
        }

        return new DockerIgnore(rules);
    }

    /// <summary>True when the path (relative to the context, "/" separated) is left out of the context.</summary>
    public bool Excludes(string relativePath)
    {
        var path = relativePath.Replace('\\', '/').Trim('/');
        var excluded = false;
        foreach (var (pattern, exclude) in _rules)
        {
            if (pattern.IsMatch(path))
            {
                excluded = exclude;
            }
        }

        return excluded;
    }

    private static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches no segment or any number of them; a trailing "**" anything below.
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(?:.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(c switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(c.ToString()),
                });
            }
        }

        // A pattern that names a directory excludes what is under it too.
        return new Regex(regex.Append("(?:/.*)?$").ToString(), RegexOptions.CultureInvariant);
    }
}
