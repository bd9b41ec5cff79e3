using System.Text.Json;
using Gateway.Limits;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
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

    [Theory]
    [InlineData("/api/users/1\r")]
    [InlineData("/api/users/1?q=a\u001bb")]
    [InlineData("/api/\u007fusers")]
    [InlineData("/api/\tusers")] // HTAB is allowed in a header value, never in the target.
    [InlineData("/api/\u0000")]
    public async Task A_control_character_in_the_target_is_400_before_routing(string target)
    {
        var (context, passed) = await Invoke(target, []);

        Assert.False(passed);
        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("The request target contains a control character.", await Detail(context));
    }

    [Theory]
    [InlineData("a\rb")]
    [InlineData("a\u007fb")]
    [InlineData("a\u0001")]
    [InlineData("\u001f")]
    public async Task A_control_character_in_a_header_value_is_400_naming_the_header(string value)
    {
        var (context, passed) = await Invoke("/api/users", [("Accept", "application/json"), ("X-Trace-Note", value)]);

        Assert.False(passed);
        Assert.Equal(400, context.Response.StatusCode);
        Assert.Equal("The value of the request header 'X-Trace-Note' contains a control character.", await Detail(context));
    }

    [Theory]
    [InlineData("/api/users/%0D%0A", "a\tb")] // Encoded octets are not control characters in the target; HTAB is allowed in a value.
    [InlineData("/caf%C3%A9?q=%7F", "caf\u00e9")] // Non-ASCII in a value is not a control character (C1 is not checked here).
    public async Task What_is_not_a_control_character_passes(string target, string value)
    {
        var (context, passed) = await Invoke(target, [("X-Note", value)]);

        Assert.True(passed);
        Assert.Equal(200, context.Response.StatusCode);
    }

    private static async Task<(HttpContext Context, bool Passed)> Invoke(string target, (string Name, string Value)[] headers)
    {
        var passed = false;
        var middleware = new RequestTargetMiddleware(_ =>
        {
            passed = true;
            return Task.CompletedTask;
        });
        var context = new DefaultHttpContext();
        context.Features.Get<IHttpRequestFeature>()!.RawTarget = target;
        foreach (var (name, value) in headers)
        {
            context.Request.Headers.Append(name, value);
        }

        context.Response.Body = new MemoryStream();
        context.RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider();
        await middleware.InvokeAsync(context);
        return (context, passed);
    }

    private static async Task<string> Detail(HttpContext context)
    {
        context.Response.Body.Position = 0;
        using var problem = await JsonDocument.ParseAsync(context.Response.Body);
        return problem.RootElement.GetProperty("detail").GetString()!;
    }
}
