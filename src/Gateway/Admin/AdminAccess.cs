namespace Gateway.Admin;

/// <summary>What an admin key may do (<c>Admin:Keys:&lt;name&gt;:Access</c>); a configured key must say Full or ReadOnly.</summary>
public enum AdminAccess
{
    None,
    ReadOnly,
    Full,
}
