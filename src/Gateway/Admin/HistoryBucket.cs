namespace Gateway.Admin;

/// <summary>The responses of one <see cref="ResponseHistory.Step"/>: <paramref name="Slot"/> counts steps since the Unix epoch.</summary>
internal sealed record HistoryBucket(long Slot, ResponseCounts Counts);
