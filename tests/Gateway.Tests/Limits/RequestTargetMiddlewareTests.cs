using Gateway.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Gateway.Tests.Limits;

/// <summary>The control-character check runs on every request, so a clean one must cost no allocation.</summary>
public sealed class RequestTargetMiddlewareTests
{
    [Fact]
    public async Task A_clean_request_passes_without_allocating()
    {
        var passed = 0;
        var middleware = new RequestTargetMiddleware(_ =>
        {
            passed++;
            return Task.CompletedTask;
        });
        var context = new DefaultHttpContext();
        context.Request.Path = "/api/users/1";
        foreach (var (name, value) in new[] { ("Host", "gateway.example"), ("Accept", "application/json"), ("User-Agent", "curl/8.5.0"), ("X-Note", "a\tb") })
        {
            context.Request.Headers[name] = value;
        }

        context.Request.Headers.Append("Accept-Language", "en, de;q=0.5");
        await middleware.InvokeAsync(context); // Warm the pool and the JIT.

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 100; i++)
        {
            await middleware.InvokeAsync(context);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.Equal(101, passed);
    }

    [Fact]
    public async Task A_control_character_in_the_second_value_of_a_header_is_found()
    {
        var middleware = new RequestTargetMiddleware(_ => throw new InvalidOperationException("passed"));
        var context = new DefaultHttpContext();
        context.Request.Headers.Append("X-Note", "clean");
        context.Request.Headers.Append("X-Note", "a\u001bb");
        context.Response.Body = new MemoryStream();
        context.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();

        await middleware.InvokeAsync(context);
        Assert.Equal(400, context.Response.StatusCode);
    }
}
