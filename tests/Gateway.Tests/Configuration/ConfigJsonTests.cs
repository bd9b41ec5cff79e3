using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class ConfigJsonTests
{
    [Fact]
    public void Valid_json_becomes_flat_keys()
    {
        Assert.True(ConfigJson.TryParse("""{ "A": { "B": [ "x", "y" ] } }""", out var data, out var error));
        Assert.Null(error);
        Assert.Equal("y", data["A:B:1"]);
        Assert.Equal("y", data["a:b:1"]); // keys ignore case, as every configuration provider's do
    }

    [Fact]
    public void The_keys_are_the_stock_json_configurations()
    {
        const string text = """{ "A": { "B": [ "x", { "C": true } ], "Empty": {}, "None": [], "N": null }, "a2": 1.5 }""";
        using var stream = new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text));
        var stock = new ConfigurationBuilder().AddJsonStream(stream).Build()
            .AsEnumerable().Where(pair => pair.Value is not null).OrderBy(pair => pair.Key, StringComparer.Ordinal);

        Assert.True(ConfigJson.TryParse(text, out var data, out _));
        Assert.Equal(stock, data.OrderBy(pair => pair.Key, StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("""{ "A": """)]
    [InlineData("""{ "A": 1, }x""")]
    [InlineData("")]
    public void Broken_json_is_an_error_that_says_so(string text)
    {
        Assert.False(ConfigJson.TryParse(text, out _, out var error));
        Assert.StartsWith("not valid JSON", error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_position_is_counted_from_one_as_editors_do()
    {
        Assert.False(ConfigJson.TryParse("{\n  \"A\": 1\n  \"B\": 2\n}", out _, out var error));
        Assert.Contains("line 3, column 3", error, StringComparison.Ordinal);
    }
}
