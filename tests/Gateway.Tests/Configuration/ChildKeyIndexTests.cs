using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Gateway.Tests.Configuration;

/// <summary>
/// The index answers as the stock provider's scan does once ConfigurationRoot keeps each key once, up to which of two
/// spellings of one child is kept (issue 28: the scan made loading quadratic in routes, and sorting a child once per key
/// below it was a tenth of a 10,000-route load).
/// </summary>
public sealed class ChildKeyIndexTests
{
    private static readonly Dictionary<string, string?> Data = new(StringComparer.OrdinalIgnoreCase)
    {
        ["ReverseProxy:Routes:b:ClusterId"] = "c",
        ["ReverseProxy:Routes:b:Match:Path"] = "/b",
        ["ReverseProxy:Routes:a:Match:Methods:0"] = "GET",
        ["ReverseProxy:Routes:a:Match:Methods:1"] = "HEAD",
        ["ReverseProxy:Routes:a:Match:Methods:10"] = "PUT",
        ["ReverseProxy:Routes:a:Match:Methods:2"] = "POST",
        ["reverseproxy:clusters:C:Destinations:d1:Address"] = "http://x/",
        ["Tracing:SampleRatio"] = "1",
        ["Tracing"] = "shadowed",
        ["Empty:"] = "",
        [":Leading"] = "x",
        ["Plain"] = "v",
    };

    public static TheoryData<string?> Parents =>
    [
        null, "", "ReverseProxy", "REVERSEPROXY:routes", "ReverseProxy:Routes:a:Match:Methods", "reverseproxy:Clusters:c",
        "Tracing", "Empty", "Plain", "Missing", "ReverseProxy:Rout",
    ];

    [Theory]
    [MemberData(nameof(Parents))]
    public void Child_keys_are_the_stock_providers(string? parent)
    {
        var stock = new MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = Data });
        string[] earlier = ["zeta", "Routes", "9"];

        Assert.Equal(AsRootKeepsThem(stock.GetChildKeys(earlier, parent)), AsRootKeepsThem(new ChildKeyIndex(Data).GetChildKeys(earlier, parent)));
        Assert.Equal(AsRootKeepsThem(stock.GetChildKeys([], parent)), AsRootKeepsThem(new ChildKeyIndex(Data).GetChildKeys([], parent)));
    }

    [Fact]
    public void A_child_is_listed_once_however_many_keys_are_below_it()
    {
        var stock = new MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = Data });

        Assert.Equal(["Methods", "Methods", "Methods", "Methods"], stock.GetChildKeys([], "ReverseProxy:Routes:a:Match"));
        Assert.Equal(["Methods"], new ChildKeyIndex(Data).GetChildKeys([], "ReverseProxy:Routes:a:Match"));
        Assert.Equal(["a", "b"], new ChildKeyIndex(Data).GetChildKeys([], "reverseproxy:ROUTES"));
    }

    /// <summary>
    /// Keys in an order where neighbours share some sections, differ in case at any depth, or have empty names: the index
    /// reuses the previous key's sections only where they are the same.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Keys_that_share_their_first_sections_are_indexed_as_the_stock_scan_lists_them(int seed)
    {
        var random = new Random(seed);
        string[] names = ["a", "A", "b", "ab", "", "10", "2"];
        var data = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        while (data.Count < 400)
        {
            data[string.Join(':', Enumerable.Range(0, random.Next(1, 5)).Select(_ => names[random.Next(names.Length)]))] = "v";
        }

        var stock = new MemoryConfigurationProvider(new MemoryConfigurationSource { InitialData = data });
        var index = new ChildKeyIndex(data);
        var parents = data.Keys.SelectMany(key => Enumerable.Range(0, key.Length + 1).Where(i => i == key.Length || key[i] == ':').Select(i => key[..i])).Append(null);
        foreach (var parent in parents.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            var listed = index.GetChildKeys([], parent).ToList();
            // Every spelling the stock scan lists, each once, in the comparer's order.
            Assert.Equal(stock.GetChildKeys([], parent).Distinct().Order(StringComparer.Ordinal), listed.Order(StringComparer.Ordinal));
            Assert.All(listed.Zip(listed.Skip(1)), pair => Assert.True(ConfigurationKeyComparer.Instance.Compare(pair.First, pair.Second) <= 0));
        }
    }

    [Fact]
    public void A_configuration_over_the_index_binds_as_over_the_stock_provider()
    {
        var stock = new ConfigurationBuilder().AddInMemoryCollection(Data).Build();
        var indexed = new ConfigurationRoot([new IndexedProvider(Data)]);

        Assert.Equal(Flatten(stock), Flatten(indexed));
    }

    /// <summary>What ConfigurationRoot makes of a provider's answer: each key once, ignoring case, the first spelling kept.</summary>
    private static IEnumerable<string> AsRootKeepsThem(IEnumerable<string> keys) => keys.Distinct(StringComparer.OrdinalIgnoreCase);

    private static List<KeyValuePair<string, string?>> Flatten(IConfiguration configuration) =>
        [.. configuration.AsEnumerable().OrderBy(pair => pair.Key, StringComparer.Ordinal)];

    private sealed class IndexedProvider(Dictionary<string, string?> data) : ConfigurationProvider
    {
        private readonly ChildKeyIndex _index = new(data);

        public override bool TryGet(string key, out string? value) => data.TryGetValue(key, out value);

        public override IEnumerable<string> GetChildKeys(IEnumerable<string> earlierKeys, string? parentPath) =>
            _index.GetChildKeys(earlierKeys, parentPath);
    }
}
