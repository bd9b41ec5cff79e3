using System.Buffers;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace Gateway.Forwarding;

/// <summary>
/// The response headers the gateway set before forwarding (RateLimit, RateLimit-Policy), kept aside in a pooled array:
/// a failed forward's answer drops whatever YARP copied from the upstream and keeps these. No headers: nothing rented.
/// </summary>
internal readonly struct GatewayHeaders : IDisposable
{
    private readonly KeyValuePair<string, StringValues>[]? _copy;
    private readonly int _count;

    private GatewayHeaders(KeyValuePair<string, StringValues>[] copy, int count)
    {
        _copy = copy;
        _count = count;
    }

    public static GatewayHeaders Take(HttpResponse response)
    {
        var headers = response.Headers;
        var count = headers.Count;
        if (count == 0)
        {
            return default;
        }

        var copy = ArrayPool<KeyValuePair<string, StringValues>>.Shared.Rent(count);
        headers.CopyTo(copy, 0);
        return new GatewayHeaders(copy, count);
    }

    /// <summary>Clears the response (status, headers, body) and puts back the headers taken.</summary>
    public void ClearBackTo(HttpResponse response)
    {
        response.Clear();
        foreach (var (name, values) in _copy.AsSpan(0, _count))
        {
            response.Headers[name] = values;
        }
    }

    public void Dispose()
    {
        if (_copy is not null)
        {
            ArrayPool<KeyValuePair<string, StringValues>>.Shared.Return(_copy, clearArray: true);
        }
    }
}
