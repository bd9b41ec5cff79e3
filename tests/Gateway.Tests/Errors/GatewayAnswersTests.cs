using Gateway.Errors;
using Microsoft.AspNetCore.Http;

namespace Gateway.Tests.Errors;

/// <summary>Which representation a request gets (the integration tests write both through real HTTP).</summary>
public sealed class GatewayAnswersTests
{
    [Theory]
    [InlineData(null, AnswerFormat.ProblemJson)]
    [InlineData("*/*", AnswerFormat.ProblemJson)]
    [InlineData("application/json", AnswerFormat.ProblemJson)]
    [InlineData("application/problem+json", AnswerFormat.ProblemJson)]
    [InlineData("application/json, text/html;q=0.5", AnswerFormat.ProblemJson)]
    [InlineData("text/html;q=0.5, application/json", AnswerFormat.ProblemJson)]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", AnswerFormat.Html)] // Firefox, Chrome
    [InlineData("application/xhtml+xml", AnswerFormat.Html)]
    [InlineData("TEXT/HTML", AnswerFormat.Html)]
    [InlineData("text/html;q=0.9, application/json;q=0.8", AnswerFormat.Html)]
    public void The_request_picks_the_format(string? accept, AnswerFormat expected)
    {
        var context = new DefaultHttpContext();
        if (accept is not null)
        {
            context.Request.Headers.Accept = accept;
        }

        Assert.Equal(expected, GatewayAnswers.FormatFor(context.Request));
    }

    [Theory]
    [InlineData("application/grpc")]
    [InlineData("application/grpc+proto")]
    [InlineData("application/grpc-web")]
    public void A_grpc_call_gets_the_grpc_format_whatever_it_accepts(string contentType)
    {
        var context = new DefaultHttpContext();
        context.Request.ContentType = contentType;
        context.Request.Headers.Accept = "text/html";

        Assert.Equal(AnswerFormat.Grpc, GatewayAnswers.FormatFor(context.Request));
    }

    [Fact]
    public void A_decision_takes_its_error_type_from_the_table_unless_the_step_gives_one()
    {
        Assert.Equal(ProxyErrorType.HttpRequestDenied, new GatewayDecision(429, GatewayOrigin.RateLimit, "d").ProxyError);
        Assert.Equal(ProxyErrorType.ConnectionTerminated,
            new GatewayDecision(502, GatewayOrigin.Unreachable, "d", ErrorType: ProxyErrorType.ConnectionTerminated).ProxyError);
    }
}
