using Microsoft.AspNetCore.Http;

namespace Gateway.Forwarding;

/// <summary>
/// Honours a gRPC call's <c>grpc-timeout</c>: the upstream request is cancelled when it runs out, as it is when the
/// route's <c>Timeout</c> does (whichever is sooner applies), and <see cref="UpstreamFailureMiddleware"/> answers
/// 504 timeout, which a gRPC client gets as DEADLINE_EXCEEDED. The header is still forwarded: the upstream may stop too.
/// </summary>
internal sealed class GrpcDeadlineMiddleware(RequestDelegate next)
{
    // A request without a deadline (all but some gRPC calls) goes straight on, without an async frame of its own.
    public Task InvokeAsync(HttpContext context) =>
        GrpcTimeout.Parse(context.Request.Headers[GrpcTimeout.HeaderName]) is { } timeout ? InvokeWithDeadlineAsync(context, timeout) : next(context);

    private async Task InvokeWithDeadlineAsync(HttpContext context, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, deadline.Token);
        // The forwarder cancels the upstream request on RequestAborted, as ASP.NET Core's request timeouts make it do.
        var aborted = context.RequestAborted;
        context.RequestAborted = linked.Token;
        context.Features.Set(new Fired(deadline.Token));
        try
        {
            await next(context);
        }
        finally
        {
            context.RequestAborted = aborted;
        }
    }

    /// <summary>Whether this request's grpc-timeout ran out.</summary>
    public static bool HasFired(HttpContext context) => context.Features.Get<Fired>()?.Token.IsCancellationRequested == true;

    private sealed class Fired(CancellationToken token)
    {
        public CancellationToken Token { get; } = token;
    }
}
