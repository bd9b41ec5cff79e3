using Gateway.Observability;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace Gateway.Tests.Observability;

public sealed class ObservabilityExtensionsTests
{
    /// <summary>Trap: CreateSlimBuilder's AddSimpleConsole forces "simple" after the config is bound.</summary>
    [Theory]
    [InlineData("json")]
    [InlineData("systemd")]
    public void The_console_formatter_named_in_the_config_is_the_one_used(string formatter)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Configuration["Logging:Console:FormatterName"] = formatter;
        builder.Services.AddGatewayObservability(builder.Configuration);
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(formatter, services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Fact]
    public void Without_a_formatter_in_the_config_the_slim_builders_simple_one_stays()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Services.AddGatewayObservability(builder.Configuration);
        using var services = builder.Services.BuildServiceProvider();

        Assert.Equal(ConsoleFormatterNames.Simple, services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }
}
