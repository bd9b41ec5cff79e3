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

    private static readonly string[] Methods =
    [
        HttpMethods.Get, HttpMethods.Post, HttpMethods.Put, HttpMethods.Delete,
        HttpMethods.Patch, HttpMethods.Head, HttpMethods.Options, "OTHER",
    ];

    public static int MethodCount => Methods.Length;

    /// <summary>Standard methods by index; anything else is one bucket, so a client cannot mint label values.</summary>
    public static int MethodIndex(string method) => method switch
    {
        _ when HttpMethods.IsGet(method) => 0,
        _ when HttpMethods.IsPost(method) => 1,
        _ when HttpMethods.IsPut(method) => 2,
        _ when HttpMethods.IsDelete(method) => 3,
        _ when HttpMethods.IsPatch(method) => 4,
        _ when HttpMethods.IsHead(method) => 5,
        _ when HttpMethods.IsOptions(method) => 6,
        _ => 7,
    };

    public static string MethodName(int index) => Methods[index];
}
