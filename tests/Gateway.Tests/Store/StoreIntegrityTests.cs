using System.Buffers;
using System.Text;
using Gateway.Store;

namespace Gateway.Tests.Store;

public sealed class StoreIntegrityTests
{
    private readonly StoreIntegrity _integrity = new("unit-test-integrity-key-0123456789abcdef");

    [Fact]
    public void A_sealed_text_opens_under_its_own_key_and_stays_readable()
    {
        var stored = _integrity.Seal("gateway:audit", """{"action":"maintenance.set"}""");

        Assert.StartsWith("s1.", stored, StringComparison.Ordinal);
        Assert.EndsWith(""".{"action":"maintenance.set"}""", stored, StringComparison.Ordinal);
        Assert.Equal(SealCheck.Valid, _integrity.Open("gateway:audit", stored, out var value));
        Assert.Equal("""{"action":"maintenance.set"}""", value);
    }

    [Fact]
    public void A_text_changed_moved_to_another_key_or_tagged_with_another_secret_does_not_open()
    {
        var stored = _integrity.Seal("gateway:maintenance:override", """{"enabled":false}""");

        Assert.Equal(SealCheck.Forged, _integrity.Open("gateway:maintenance:override", stored.Replace("false", "true", StringComparison.Ordinal), out var value));
        Assert.Equal("", value);
        Assert.Equal(SealCheck.Forged, _integrity.Open("other:maintenance:override", stored, out _));
        Assert.Equal(SealCheck.Forged, new StoreIntegrity("another-key-entirely-0123456789abcdef").Open("gateway:maintenance:override", stored, out _));
        Assert.Equal(SealCheck.Forged, _integrity.Open("gateway:maintenance:override", $"s1.{new string('!', 43)}.{{}}", out _));
    }

    [Theory]
    [InlineData("""{"enabled":true}""")] // As a gateway from before tags wrote it.
    [InlineData("")]
    [InlineData("s1.short.{}")]
    public void A_text_without_a_tag_is_untagged(string stored) =>
        Assert.Equal(SealCheck.Untagged, _integrity.Open("gateway:audit", stored, out _));

    [Fact]
    public void Bytes_open_to_the_same_bytes_and_a_changed_byte_or_a_missing_tag_does_not()
    {
        var answer = Encoding.UTF8.GetBytes("HTTP answer, as the output cache serializes it");
        var stored = _integrity.Seal("gateway:cache:key", new ReadOnlySequence<byte>(answer));

        Assert.Equal(SealCheck.Valid, _integrity.Open("gateway:cache:key", stored, out var value));
        Assert.Equal(answer, value.ToArray());

        stored[^1] ^= 1;
        Assert.Equal(SealCheck.Forged, _integrity.Open("gateway:cache:key", stored, out _));
        Assert.Equal(SealCheck.Untagged, _integrity.Open("gateway:cache:key", answer, out _));
    }
}
