using Gateway.Configuration;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.Memory;

namespace Gateway.Tests.Configuration;

/// <summary>The index answers exactly as the stock provider's scan does (issue 28: the scan made loading quadratic in routes).</summary>
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

        Assert.Equal(stock.GetChildKeys(earlier, parent), new ChildKeyIndex(Data).GetChildKeys(earlier, parent));
        Assert.Equal(stock.GetChildKeys([], parent), new ChildKeyIndex(Data).GetChildKeys([], parent));
    }

    [Fact]
    public void A_configuration_over_the_index_binds_as_over_the_stock_provider()
    {
        var stock = new ConfigurationBuilder().AddInMemoryCollection(Data).Build();
        var indexed = new ConfigurationRoot([new IndexedProvider(Data)]);

        Assert.Equal(Flatten(stock), Flatten(indexed));
    }

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
