using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Primitives;

namespace Gateway.Hosting;

/// <summary>
/// A data source whose endpoints never change, built once. ASP.NET Core rebuilds every data source's endpoints when any
/// one changes, and a minimal-API group builds its endpoints afresh each time (RequestDelegateFactory and all): every
/// config reload, through YARP's change, rebuilt the admin and guide endpoints (85 ms of a 10,000-route reload).
/// </summary>
internal sealed class FixedEndpointDataSource(EndpointDataSource inner) : EndpointDataSource
{
    private IReadOnlyList<Endpoint>? _endpoints;

    /// <summary>Built at the first read, when routing first needs them: every Map call and convention has run by then.</summary>
    public override IReadOnlyList<Endpoint> Endpoints => _endpoints ??= inner.Endpoints;

    public override IChangeToken GetChangeToken() => inner.GetChangeToken();

    public override IReadOnlyList<Endpoint> GetGroupedEndpoints(RouteGroupContext context) => inner.GetGroupedEndpoints(context);
}
