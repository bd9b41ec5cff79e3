using Microsoft.AspNetCore.Routing;

namespace Gateway.Hosting;

internal static class EndpointDataSourceExtensions
{
    /// <summary>Wraps every data source mapped so far in a <see cref="FixedEndpointDataSource"/>: call it before mapping any that can change (YARP's routes).</summary>
    public static IEndpointRouteBuilder BuildFixedEndpointsOnce(this IEndpointRouteBuilder endpoints)
    {
        var sources = endpoints.DataSources.ToList();
        endpoints.DataSources.Clear();
        foreach (var source in sources)
        {
            endpoints.DataSources.Add(source as FixedEndpointDataSource ?? new FixedEndpointDataSource(source));
        }

        return endpoints;
    }
}
