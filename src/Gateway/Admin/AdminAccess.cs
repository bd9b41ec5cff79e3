namespace Gateway.Admin;

internal enum AdminAccess
{
    None,
    ReadOnly,
    Full,
}
