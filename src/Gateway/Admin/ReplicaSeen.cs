namespace Gateway.Admin;

/// <summary>A replica whose counts are in the status page's totals, and when they were published.</summary>
internal sealed record ReplicaSeen(string Name, DateTimeOffset CountedAt, double Requests, bool This);
