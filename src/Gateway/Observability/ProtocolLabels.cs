using Microsoft.AspNetCore.Http;

namespace Gateway.Observability;

/// <summary>The request's HTTP version as a bounded label (ALPN's names): the client cannot mint values.</summary>
internal static class ProtocolLabels
{
    private static readonly string[] Names = ["http/1.1", "h2", "other"];

    public static int Count => Names.Length;

    public static string Name(int index) => Names[index];

    public static int Index(string protocol) => protocol switch
    {
        _ when HttpProtocol.IsHttp11(protocol) => 0,
        _ when HttpProtocol.IsHttp2(protocol) => 1,
        _ => 2,
    };
}
