namespace Gateway.Clients;

/// <summary>The client this request's API key names (null: the key is not configured), so the key is hashed once per request.</summary>
internal sealed record ApiKeyFeature(string? Client);
