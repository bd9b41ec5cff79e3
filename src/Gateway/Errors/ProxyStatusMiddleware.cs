using Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Yarp.ReverseProxy.Forwarder;
using Yarp.ReverseProxy.Model;

namespace Gateway.Errors;

/// <summary>
/// The one place that writes <c>Proxy-Status</c> (RFC 9209) on the public port: just inside the metrics step, it hooks
/// the response's start, when every step has decided, and states the final origin and status through
/// <see cref="WhoAnswered"/>: <c>received-status</c> for the upstream's answer, <c>error=</c> for the gateway's (the
/// written <see cref="GatewayDecision"/>'s type, else the <see cref="ProxyErrorType"/> table), the bare name for a cache
/// hit. A response that never starts (the client left) gets nothing.
/// </summary>
internal sealed class ProxyStatusMiddleware
{
    private readonly RequestDelegate _next;
    private readonly ProxyStatusMembers _members;
    private readonly Func<object, Task> _write;

    public ProxyStatusMiddleware(RequestDelegate next, ProxyStatusMembers members)
    {
        _next = next;
        _members = members;
        _write = Write; // one delegate for every request: the context is the callback's state
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (ListenerFeature.Of(context) == GatewayListener.Public)
        {
            context.Response.OnStarting(_write, context);
        }

        return _next(context);
    }

    private Task Write(object state)
    {
        var context = (HttpContext)state;
        if (!context.RequestAborted.IsCancellationRequested)
        {
            WhoAnswered.ProxyStatus(context.Response, Member(_members.Current, context));
        }

        return Task.CompletedTask;
    }

    internal static string Member(ProxyStatusMembers.Snapshot members, HttpContext context)
    {
        var failure = context.Features.Get<IForwarderErrorFeature>();
        var routed = context.GetEndpoint()?.Metadata.GetMetadata<RouteModel>() is not null;
        var origin = context.DecidedOrigin(routed);
        var status = context.Response.StatusCode;
        // The decision GatewayAnswers wrote, unless a later step changed the answer (a gRPC answer is sent as 200: its
        // error type is still the decision's).
        var decision = context.Features.Get<GatewayDecisionFeature>() is { } written && written.Decision.Origin == origin && written.SentStatus == status
            ? written.Decision
            : (GatewayDecision?)null;
        var member = origin switch
        {
            GatewayOrigin.Upstream => members.Received(status),
            GatewayOrigin.Cache => members.Bare,
            _ => (decision?.ProxyError ?? ProxyErrorType.For(origin, status, failure)) is { } type ? members.Error(type) : members.Bare,
        };
        if (!members.Options.NextHop && !members.Options.Details)
        {
            return member;
        }

        var destination = context.Features.Get<IReverseProxyFeature>()?.ProxiedDestination;
        var nextHop = destination is not null && Uri.TryCreate(destination.Model.Config.Address, UriKind.Absolute, out var address)
            ? $"{address.Host}:{address.Port}"
            : null;
        var details = failure is not null
            ? failure.Exception is { } exception ? $"{failure.Error}: {exception.Message}" : failure.Error.ToString()
            : decision?.Detail;
        return members.With(member, nextHop, details);
    }
}
