using Gateway.IntegrationTests.Infrastructure;

namespace Gateway.IntegrationTests.Reliability;

/// <summary>
/// A client cannot write into the operator's log: a CR or LF in what it sends would end the line and forge the next,
/// an ESC would drive the terminal. Kestrel refuses raw CR, LF and NUL in the request line and headers, but
/// percent-encoded ones decode into the path and route values; other controls (ESC, DEL) pass in header values.
/// </summary>
public sealed class LogInjectionTests(GatewayFixture fixture) : IClassFixture<GatewayFixture>
{
    private GatewayInstance Gateway => fixture.Gateway;

    public static TheoryData<string, string> Targets() => new()
    {
        { "CR LF and a forged line (no route: 404)", "/ctl-{0}%0D%0AInformation%20Gateway.AccessLog:%20forged%20200" },
        { "ESC sequence and BEL", "/ctl-{0}%1B%5B2J%1B%5D0;owned%07" },
        { "TAB, DEL, unit separator (Kestrel refuses %00 itself)", "/ctl-{0}%09%7F%1F" },
        { "NEL, line separator, right-to-left override", "/ctl-{0}%C2%85%E2%80%A8%E2%80%AEtxt.exe" },
        { "a redirect rule's value (400 redirect)", "/v1/ctl-{0}%0D%0ASet-Cookie:a=b" },
        { "forwarded to the upstream (its 404)", "/api/users/ctl-{0}%0D%0A%1B" },
    };

    [Theory]
    [MemberData(nameof(Targets))]
    public async Task A_control_character_in_the_target_is_escaped_in_the_access_log_line(string name, string target)
    {
        var marker = Guid.NewGuid().ToString("N");
        var answer = await RawHttp.SendAsync(Gateway.Public.BaseAddress!,
            $"GET {string.Format(System.Globalization.CultureInfo.InvariantCulture, target, marker)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        Assert.True(answer.Status is >= 400 and < 500, $"{name}: {answer.Raw}");

        LogEntry? line = null;
        await Eventually.HoldsAsync(() => Task.FromResult((line = Gateway.Logs.Entries.FirstOrDefault(entry =>
            entry.Category == "Gateway.AccessLog" && entry.Message.Contains(marker, StringComparison.Ordinal))) is not null), $"the access log line of {name}");
        AssertClean(line!.Message);
        AssertClean((string)line.Fields["Path"]!);
        Assert.Single(Gateway.Logs.Lines, logged => logged.Contains(marker, StringComparison.Ordinal));
        AssertNoLineHasAControlCharacter();
    }

    [Fact]
    public async Task Control_characters_in_header_values_reach_no_log_line()
    {
        var marker = Guid.NewGuid().ToString("N");
        // ESC, DEL and TAB are not refused by Kestrel in a header value (CR, LF and NUL are); the gateway may answer anything but must log clean lines.
        var answer = await RawHttp.SendAsync(Gateway.Public.BaseAddress!,
            $"GET /ctl-{marker} HTTP/1.1\r\nHost: x\r\nUser-Agent: a\u001b[2Jb\tc\u007f\r\nReferer: /x\u001b]0;owned\u0007\r\nX-Api-Key: k\u001b[1m\r\n"
            + $"X-Forwarded-For: 1.2.3.4\u001b\r\nConnection: close\r\n\r\n");
        Assert.True(answer.Status is >= 400 and < 500, answer.Raw);
        if (answer.Body.Length > 0)
        {
            // Answered by the gateway (not refused by Kestrel): its access line exists and is clean.
            await Eventually.HoldsAsync(() => Task.FromResult(Gateway.Logs.Lines.Any(logged => logged.Contains(marker, StringComparison.Ordinal))), "the access log line");
        }

        AssertNoLineHasAControlCharacter();
    }

    private void AssertNoLineHasAControlCharacter()
    {
        foreach (var logged in Gateway.Logs.Lines)
        {
            AssertClean(logged);
        }
    }

    private static void AssertClean(string text)
    {
        var at = text.AsSpan().IndexOfAnyInRange('\u0000', '\u001f') is var c0 and >= 0 ? c0 : text.AsSpan().IndexOfAnyInRange('\u007f', '\u009f');
        at = at >= 0 ? at : text.AsSpan().IndexOfAny('\u2028', '\u2029', '\u202e');
        Assert.True(at < 0, $"a control character (U+{(at >= 0 ? (int)text[at] : 0):X4}) at {at} of the log line: {text.Replace("\u001b", "<ESC>", StringComparison.Ordinal)}");
    }
}
