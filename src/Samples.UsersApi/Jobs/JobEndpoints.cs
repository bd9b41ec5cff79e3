namespace Samples.UsersApi.Jobs;

internal static class JobEndpoints
{
    public static void MapJobEndpoints(this WebApplication app)
    {
        app.MapPost("/api/jobs", (JobStore store, HttpContext context) =>
        {
            var job = store.Create();
            // Tells polling clients how long to wait before asking again.
            context.Response.Headers.RetryAfter = "1";
            return TypedResults.Accepted($"/api/jobs/{job.Id}", job);
        });

        app.MapGet("/api/jobs/{id:int}", (int id, JobStore store) =>
            store.Find(id) is { } job
                ? Results.Ok(job)
                : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Job not found"));
    }
}
