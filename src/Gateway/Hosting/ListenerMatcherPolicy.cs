using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Matching;

namespace Gateway.Hosting;

/// <summary>
/// Drops candidate endpoints that belong to the other listener before routing picks one, so a public
/// catch-all route still serves <c>/healthz</c> on 8080 while the admin <c>/healthz</c> answers on 8081.
/// </summary>
internal sealed class ListenerMatcherPolicy : MatcherPolicy, IEndpointSelectorPolicy
{
    public override int Order => 0;

    public bool AppliesToEndpoints(IReadOnlyList<Endpoint> endpoints) => true;

    public Task ApplyAsync(HttpContext httpContext, CandidateSet candidates)
    {
        var listener = ListenerFeature.Of(httpContext);
        for (var i = 0; i < candidates.Count; i++)
        {
            if (!ListenerMetadata.Reaches(candidates[i].Endpoint, listener))
            {
                candidates.SetValidity(i, false);
            }
        }

        return Task.CompletedTask;
    }
}
