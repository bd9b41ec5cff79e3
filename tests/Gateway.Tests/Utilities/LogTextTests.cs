using Gateway.Utilities;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Utilities;

public sealed class LogTextTests
{
    [Theory]
    [InlineData("/api/users/1", "/api/users/1")]
    [InlineData("a\r\nb", @"a\r\nb")]
    [InlineData("a\tb\0c", @"a\tb\u0000c")]
    [InlineData("\u001b[31mred", @"\u001b[31mred")]
    [InlineData("del\u007f nel\u0085", @"del\u007f nel\u0085")]
    [InlineData("line\u2028para\u2029", @"line\u2028para\u2029")]
    [InlineData("\u202egnp.exe", @"\u202egnp.exe")]
    [InlineData(@"C:\x\r", @"C:\\x\\r")] // a backslash of the value is doubled, so "\r" written by the escaper is never ambiguous
    [InlineData("été ✓", "été ✓")]
    public void Control_characters_are_escaped_and_nothing_else_changes(string value, string logged)
    {
        Assert.Equal(logged, LogText.Escape(value));
        Assert.DoesNotContain(LogText.Escape(value), character => char.IsControl(character));
    }

    [Fact]
    public void A_value_without_control_characters_is_returned_as_is()
    {
        const string value = "/api/users/1";
        Assert.Same(value, LogText.Escape(value));
        Assert.Equal("", LogText.Escape(null));
    }

    [Theory]
    [InlineData("/x\r\ny 200", "/x%0D%0Ay%20200")]
    [InlineData("/a%2Fb/é", "/a%2Fb/%C3%A9")]
    [InlineData("", "/")]
    public void A_path_is_logged_as_it_travels_in_a_URI(string path, string logged) =>
        Assert.Equal(logged, LogText.Path(new PathString(path.Length == 0 ? null : path)));
}
