namespace Gateway.Admin;

/// <summary>Who made an admin request: the name of the key that let it in (set by <see cref="AdminKeyFilter"/>).</summary>
internal sealed record AdminCaller(string KeyName);
