namespace Gateway.Errors.StatusGuide;

public sealed record StatusAdvice(string Client, string Server);
