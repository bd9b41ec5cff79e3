using Gateway.Configuration;
using Microsoft.Extensions.Configuration;

namespace Gateway.Tests.Configuration;

public sealed class SectionBinderTests
{
    [Fact]
    public void A_valid_section_is_bound_without_errors()
    {
        var (bound, errors) = Bind(new()
        {
            ["Sample:Count"] = "3",
            ["Sample:Inner:Window"] = "00:00:30",
            ["Sample:Items:a:Limit"] = "5",
            ["Sample:Tags:0"] = "x",
        });

        Assert.Empty(errors);
        Assert.NotNull(bound);
        Assert.Equal(3, bound.Count);
        Assert.Equal(TimeSpan.FromSeconds(30), bound.Inner.Window);
        Assert.Equal(5, bound.Items["a"].Limit);
        Assert.Equal(["x"], bound.Tags);
    }

    [Fact]
    public void A_missing_section_is_the_defaults()
    {
        var (bound, errors) = Bind(new() { ["Other:Count"] = "3" });

        Assert.Empty(errors);
        Assert.NotNull(bound);
        Assert.Equal(1, bound.Count);
    }

    [Theory]
    [InlineData("Sample:Cuont", "3", "Sample:Cuont")]
    [InlineData("sample:cuont", "3", "Sample:cuont")] // Matched in any case, the key reported as written.
    [InlineData("Sample:Inner:Windw", "00:00:30", "Sample:Inner:Windw")]
    [InlineData("Sample:Items:a:Limt", "5", "Sample:Items:a:Limt")] // Inside a dictionary the binder hides the name deeper.
    [InlineData("Sample:Extra:Deep:Key", "x", "Sample:Extra")] // The unknown key, not everything below it.
    public void An_unknown_key_is_named_by_its_full_path(string key, string value, string path)
    {
        var (bound, errors) = Bind(new() { ["Sample:Count"] = "3", [key] = value });

        Assert.Null(bound);
        Assert.Equal([$"Checked: {path}: unknown key (misspelt?)"], errors);
    }

    [Fact]
    public void Every_unknown_key_of_an_object_is_named_in_order()
    {
        var (_, errors) = Bind(new() { ["Sample:Zeta"] = "1", ["Sample:Alpha"] = "2", ["Sample:Alpha:Child"] = "3", ["Sample:Count"] = "3" });

        Assert.Equal(["Checked: Sample:Alpha: unknown key (misspelt?)", "Checked: Sample:Zeta: unknown key (misspelt?)"], errors);
    }

    [Theory]
    [InlineData("Sample:Count", "three", "Int32")]
    [InlineData("Sample:Inner:Window", "half a minute", "TimeSpan")]
    [InlineData("Sample:Items:a:Limit", "many", "Int32")]
    public void A_value_of_the_wrong_type_starts_with_its_key_and_names_its_value_and_type(string key, string value, string type)
    {
        var (bound, errors) = Bind(new() { [key] = value });

        Assert.Null(bound);
        var error = Assert.Single(errors);
        Assert.StartsWith($"{key}: ", error, StringComparison.Ordinal);
        Assert.Contains($"'{key}'", error, StringComparison.Ordinal);
        Assert.Contains($"'{value}'", error, StringComparison.Ordinal);
        Assert.Contains(type, error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_section_check_prefixes_errors_with_the_section_name()
    {
        var candidate = Config(new() { ["Sample:Cuont"] = "3" });
        var errors = new List<string>();

        new SectionCheck<Sample>("Sample").Check(candidate, errors);

        Assert.Equal(["Sample: Sample:Cuont: unknown key (misspelt?)"], errors);
    }

    private static (Sample? Bound, List<string> Errors) Bind(Dictionary<string, string?> data)
    {
        var errors = new List<string>();
        var bound = SectionBinder.Bind<Sample>(Config(data).GetSection("Sample"), errors, "Checked");
        return (bound, errors);
    }

    private static IConfigurationRoot Config(Dictionary<string, string?> data) =>
        new ConfigurationBuilder().AddInMemoryCollection(data).Build();

    public sealed class Sample
    {
        public int Count { get; init; } = 1;

        public Inner Inner { get; init; } = new();

        public Dictionary<string, Inner> Items { get; init; } = [];

        public List<string> Tags { get; init; } = [];
    }

    public sealed class Inner
    {
        public TimeSpan Window { get; init; }

        public int Limit { get; init; }
    }
}
