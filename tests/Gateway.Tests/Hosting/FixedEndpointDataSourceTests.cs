using Gateway.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace Gateway.Tests.Hosting;

/// <summary>Endpoints are built once, and built again only when their source says they changed.</summary>
public sealed class FixedEndpointDataSourceTests
{
    [Fact]
    public void Endpoints_are_built_once_until_the_source_announces_a_change()
    {
        using var source = new CountingSource();
        var fixedSource = new FixedEndpointDataSource(source);

        var first = fixedSource.Endpoints;
        Assert.Same(first, fixedSource.Endpoints);
        Assert.Equal(1, source.Builds);

        source.Change();
        Assert.NotSame(first, fixedSource.Endpoints);
        Assert.Equal(2, source.Builds);
    }

    private sealed class CountingSource : EndpointDataSource, IDisposable
    {
        private CancellationTokenSource _changed = new();

        public int Builds { get; private set; }

        public override IReadOnlyList<Endpoint> Endpoints
        {
            get
            {
                Builds++;
                return [new Endpoint(_ => Task.CompletedTask, EndpointMetadataCollection.Empty, $"built {Builds}")];
            }
        }

        public override IChangeToken GetChangeToken() => new CancellationChangeToken(_changed.Token);

        public void Change()
        {
            var changed = _changed;
            _changed = new CancellationTokenSource();
            changed.Cancel();
            changed.Dispose();
        }

        public void Dispose() => _changed.Dispose();
    }
}
