using System.Text.Json.Serialization;

namespace Gateway.Errors.StatusGuide;

/// <summary>
/// One status code of the guide, as written once in status-codes.json (HTML and JSON are rendered from it).
/// <see cref="BeforeGateway"/>, when set, says how Kestrel makes the code itself before any gateway step (an empty body,
/// no origin), with the limit in force filled in.
/// </summary>
public sealed record StatusEntry(
    int Code,
    string Reason,
    [property: JsonPropertyName("class")] string StatusClass,
    string Summary,
    string Meaning,
    string WhoActs,
    StatusAdvice WhatToDo,
    IReadOnlyList<StatusHeader> Headers,
    IReadOnlyDictionary<string, string> Origins,
    string? BeforeGateway = null);
