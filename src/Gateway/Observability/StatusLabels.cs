using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace Gateway.Observability;

/// <summary>Label strings made once, so recording a response allocates no strings.</summary>
internal static class StatusLabels
{
    private static readonly string[] Codes = Enumerable.Range(0, 600).Select(code => code.ToString(CultureInfo.InvariantCulture)).ToArray();
    private static readonly string[] Classes = ["0xx", "1xx", "2xx", "3xx", "4xx", "5xx"];

    public static string Code(int status) => status is >= 0 and < 600 ? Codes[status] : "other";

    public static string Class(int status) => status is >= 100 and < 600 ? Classes[status / 100] : "other";

    /// <summary>Standard methods by name; anything else is one bucket, so a client cannot mint label values.</summary>
    public static string Method(string method) => method switch
    {
        _ when HttpMethods.IsGet(method) => HttpMethods.Get,
        _ when HttpMethods.IsPost(method) => HttpMethods.Post,
        _ when HttpMethods.IsPut(method) => HttpMethods.Put,
        _ when HttpMethods.IsDelete(method) => HttpMethods.Delete,
        _ when HttpMethods.IsPatch(method) => HttpMethods.Patch,
        _ when HttpMethods.IsHead(method) => HttpMethods.Head,
        _ when HttpMethods.IsOptions(method) => HttpMethods.Options,
        _ => "OTHER",
    };
}
