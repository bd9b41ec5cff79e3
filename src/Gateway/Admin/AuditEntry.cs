using System.Text.Json;

namespace Gateway.Admin;

/// <summary>One admin change: when, on which replica, by which key (its name), what.</summary>
internal sealed record AuditEntry(DateTimeOffset Time, string Replica, string Key, string Action, JsonElement Change);
