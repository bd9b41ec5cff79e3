namespace Gateway.Hosting;

public enum GatewayListener
{
    Public,
    Admin,
}
