using System.Text.Json;

namespace Gateway.Errors.StatusGuide;

/// <summary>The guide's codes, loaded once from the embedded data file.</summary>
public sealed class StatusGuideBook
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public StatusGuideBook()
    {
        using var stream = typeof(StatusGuideBook).Assembly.GetManifestResourceStream("StatusGuide/status-codes.json")
            ?? throw new InvalidOperationException("The status guide data is not embedded.");
        var file = JsonSerializer.Deserialize<GuideFile>(stream, Json) ?? throw new InvalidOperationException("The status guide data is empty.");
        Codes = file.Codes.OrderBy(entry => entry.Code).ToArray();
        ByCode = Codes.ToDictionary(entry => entry.Code);
    }

    public IReadOnlyList<StatusEntry> Codes { get; }

    public IReadOnlyDictionary<int, StatusEntry> ByCode { get; }

    private sealed record GuideFile(IReadOnlyList<StatusEntry> Codes);
}
