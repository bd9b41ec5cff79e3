using System.Buffers;
using Gateway.Configuration;
using Gateway.Errors;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Limits;

/// <summary>
/// Protocol limits from the <c>Kestrel:Limits</c> section. Kestrel answers 408 (slow headers) and 431
/// (headers too large) itself, before any middleware, with an empty body; 413 is ours, per route.
/// </summary>
public static class LimitsExtensions
{
    public const string SectionName = "Kestrel:Limits";

    /// <summary>A plain WebApplication binds only endpoints from <c>Kestrel</c>; the limits are bound here. They apply at start.</summary>
    public static IServiceCollection AddGatewayLimits(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<KestrelServerOptions>(options => configuration.GetSection(SectionName).Bind(options.Limits));
        services.AddSingleton<IConfigCheck, LimitsCheck>();
        return services;
    }

    /// <summary>
    /// A declared body over the route's <c>MaxRequestBodySize</c> (else the server's limit) is refused before the
    /// upstream is contacted, as nginx's client_max_body_size does. A chunked body over it fails while being read
    /// and <see cref="UpstreamFailures"/> answers 413 then.
    /// </summary>
    public static IReverseProxyApplicationBuilder UseRequestBodyLimit(this IReverseProxyApplicationBuilder proxy)
    {
        proxy.Use((context, next) =>
        {
            // YARP applies the route's value only when it forwards, so read it here; -1 means no limit.
            var limit = context.GetRouteModel().Config.MaxRequestBodySize switch
            {
                null => context.Features.Get<IHttpMaxRequestBodySizeFeature>()?.MaxRequestBodySize,
                < 0 => null,
                var routeLimit => routeLimit,
            };
            return context.Request.ContentLength > limit ? RefuseBodyAsync(context, limit.Value) : next();
        });
        return proxy;
    }

    private static Task RefuseBodyAsync(HttpContext context, long limit) =>
        GatewayProblems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, GatewayOrigin.Limits, $"The request body is over this route's limit of {limit} bytes.");

    /// <summary>C0 controls and DEL: one vectorized pass over the target.</summary>
    private static readonly SearchValues<char> ControlCharacters = SearchValues.Create([.. Enumerable.Range(0, 0x20).Select(code => (char)code), '\u007f']);

    /// <summary>
    /// Kestrel lets a bare CR or other control character through in the request target (RFC 9112 §2.2 says
    /// reject): refuse it before routing, so it never reaches a route or an upstream.
    /// </summary>
    public static IApplicationBuilder UseRequestTargetCheck(this IApplicationBuilder app) =>
        app.Use((context, next) =>
        {
            var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget;
            return target is not null && !target.AsSpan().ContainsAny(ControlCharacters)
                ? next(context)
                : GatewayProblems.WriteAsync(context, StatusCodes.Status400BadRequest, GatewayOrigin.Limits, "The request target contains a control character.");
        });

    private sealed class LimitsCheck : IConfigCheck
    {
        public void Check(IConfiguration candidate, ICollection<string> errors)
        {
            var section = candidate.GetSection(SectionName);
            try
            {
                section.Bind(new KestrelServerLimits(), options => options.ErrorOnUnknownConfiguration = true);
            }
            catch (InvalidOperationException ex)
            {
                var cause = ex.InnerException is null ? "" : $" ({ex.InnerException.Message})";
                errors.Add($"{section.Path}: {ex.Message}{cause}");
            }
        }
    }
}
