namespace Gateway.Errors.StatusGuide;

public sealed record StatusHeader(string Name, string Why);
