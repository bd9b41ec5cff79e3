using Samples.UsersApi.Auth;
using Samples.UsersApi.Bookings;
using Samples.UsersApi.Demo;
using Samples.UsersApi.Jobs;
using Samples.UsersApi.Users;

namespace Samples.UsersApi;

/// <summary>In-memory users API whose endpoints illustrate the HTTP status codes the gateway must pass through.</summary>
public static class UsersApiApp
{
    public const string DefaultUrl = "http://127.0.0.1:5001";

    public static WebApplication Create(string[] args)
    {
        var builder = SampleHost.CreateBuilder(args, DefaultUrl, "users-api");

        // Singletons, not statics: every app instance in a test process gets its own data.
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<UserStore>();
        builder.Services.AddSingleton<BookingStore>();
        builder.Services.AddSingleton<JobStore>();
        builder.Services.AddJwtAuthentication(builder.Configuration);

        var app = builder.Build();
        app.UseProblemDetailsErrors();
        app.UseAuthentication();
        app.UseAuthorization();

        app.MapHealthCheck();
        app.MapUserEndpoints();
        app.MapAuthEndpoints();
        app.MapBookingEndpoints();
        app.MapJobEndpoints();
        app.MapDemoEndpoints();
        app.MapProductEndpoints();

        // Last: HEAD and OPTIONS are derived from every endpoint mapped above.
        var routes = (IEndpointRouteBuilder)app;
        routes.DataSources.Add(new HeadAndOptionsEndpoints([.. routes.DataSources]));
        return app;
    }
}
