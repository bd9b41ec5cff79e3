using Gateway.Store;
using Gateway.Utilities;
using Microsoft.Extensions.Logging;
using Prometheus;

namespace Gateway.Tests.Store;

public sealed class StoreRejectionsTests
{
    [Fact]
    public async Task Each_refused_value_is_logged_and_counted_once_however_often_it_is_read()
    {
        var registry = new MetricsRegistry();
        var log = new Lines();
        var rejections = new StoreRejections(registry, log);

        for (var read = 0; read < 5; read++)
        {
            rejections.Refused("maintenance", "gateway:maintenance:override", "forged", SealCheck.Untagged);
        }

        rejections.Refused("maintenance", "gateway:maintenance:override", "forged again", SealCheck.Forged);
        rejections.Unreadable("audit", "audit", "not json");
        rejections.Refused("nonsense", "gateway:x", "y", SealCheck.Forged);

        var text = await Scrape(registry.Registry);
        Assert.Contains("gateway_store_rejected_entries_total{kind=\"maintenance\"} 2", text, StringComparison.Ordinal);
        Assert.Contains("gateway_store_rejected_entries_total{kind=\"audit\"} 1", text, StringComparison.Ordinal);
        Assert.Contains("gateway_store_rejected_entries_total{kind=\"cache\"} 0", text, StringComparison.Ordinal);
        Assert.Contains("gateway_store_rejected_entries_total{kind=\"other\"} 1", text, StringComparison.Ordinal);
        Assert.Equal(4, log.Count);
        Assert.DoesNotContain(log.Messages, message => message.Contains("forged", StringComparison.Ordinal)); // Never the value.
    }

    private static async Task<string> Scrape(CollectorRegistry registry)
    {
        using var stream = new MemoryStream();
        await registry.CollectAndExportAsTextAsync(stream);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private sealed class Lines : ILogger<StoreRejections>
    {
        public List<string> Messages { get; } = [];

        public int Count => Messages.Count;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Messages.Add(formatter(state, exception));
    }
}
