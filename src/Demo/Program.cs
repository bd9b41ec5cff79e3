using Demo;
using Gateway;
using Gateway.Configuration;
using Gateway.Hosting;
using Gateway.Observability;
using Samples.Chaos;
using Samples.Grpc;
using Samples.Traffic;
using Samples.UsersApi;

// A config file that cannot serve ends the demo with one line and exit code 2 (GatewayProgram), not a stack trace.
return await GatewayProgram.RunAsync(RunDemoAsync);

async Task RunDemoAsync()
{
    // The native demo: the sample upstreams and the gateway in one process, on the root appsettings.json.
    var withTraffic = !args.Contains("--no-traffic");
    var accessLog = args.Contains(DemoConsole.AccessLogSwitch);
    // Demo mode: the repository's own keys may serve, and the gateway says so at start and on /healthz. The public
    // listener over TLS too (h2 and http/1.1), with a self-signed certificate made at start unless Gateway:Tls names one.
    string[] gatewayArgs = [$"--{DemoSecrets.DemoModeKey}=true", "--Gateway:Urls:PublicTls=https://localhost:8443", .. args.Where(arg => arg is not ("--no-traffic" or DemoConsole.AccessLogSwitch))];
    Console.WriteLine("Starting the gateway, two users APIs, the chaos service and the gRPC sample ...");

    var builder = WebApplication.CreateSlimBuilder(gatewayArgs);
    builder.AddGateway();
    builder.AddDemoConsole(accessLog);

    // The sample upstreams listen where the config's clusters send requests (5001, 5003, 5002, 5004 in the root file): one
    // command-line setting moves an upstream and its destination together (ReadmeStatusTableTests runs on free ports).
    string DestinationOf(string cluster, string destination, string otherwise) =>
        builder.Configuration[$"ReverseProxy:Clusters:{cluster}:Destinations:{destination}:Address"] ?? otherwise;
    var usersUrl = DestinationOf("users", "users-1", "http://127.0.0.1:5001");
    var secondUsersUrl = DestinationOf("users", "users-2", "http://127.0.0.1:5003");
    var chaosUrl = DestinationOf("chaos", "chaos-1", "http://127.0.0.1:5002");
    var grpcUrl = DestinationOf("grpc", "grpc-1", "http://127.0.0.1:5004");

    // The users API signs tokens with the key the gateway validates (read at start: restart after changing it).
    await using var users = UsersApiApp.Create(["--urls", usersUrl, $"--Auth:SigningKey={builder.Configuration["Auth:SigningKey"]}"]);
    // The users cluster's second destination: the gateway fails over and retries here when users-1 is out.
    await using var secondUsers = UsersApiApp.Create(["--urls", secondUsersUrl, "--Replica=users-2", $"--Auth:SigningKey={builder.Configuration["Auth:SigningKey"]}"]);
    await using var chaos = ChaosApp.Create(["--urls", chaosUrl]);
    // h2c only: its HTTP/1.1 health port is for containers, not needed in-process.
    await using var grpc = GrpcSampleApp.Create(["--GrpcUrls", grpcUrl, "--HealthUrls="]);
    await users.StartAsync();
    await secondUsers.StartAsync();
    await chaos.StartAsync();
    await grpc.StartAsync();
    await using var gateway = builder.Build();
    gateway.UseGateway();
    await gateway.StartAsync();

    var listeners = gateway.Services.GetRequiredService<GatewayListeners>();
    // The TLS listener's lines, unless Gateway:Urls:PublicTls was set empty.
    var insecure = listeners.Certificate.IsSelfSigned ? " -k" : "";
    var tlsListener = listeners.PublicTlsUrl is { } tls
        ? $"  and {tls}  (TLS: h2 or http/1.1{(insecure.Length > 0 ? "; a self-signed certificate for the demo only" : "")})"
        : "";
    // gRPC needs HTTP/2: over TLS here, as the cleartext port speaks HTTP/1.1 unless Gateway:Protocols:Public is Http2.
    var tlsTry = listeners.PublicTlsUrl is { } https
        ? $"\n  curl -i --http2{insecure} {https}api/users/1     # HTTP/2 over TLS"
          + $"\n  dotnet run --project src/Samples.GrpcClient -- --address {https}{(insecure.Length > 0 ? " --insecure" : "")} get --id 1   # gRPC (docs/grpc.md)"
        : "";
    Console.WriteLine($"""

        Gateway demo is running (Ctrl+C stops everything)
          public gateway   {listeners.PublicUrl}{tlsListener}
          admin            {listeners.AdminUrl}healthz
          users API        {usersUrl}  (upstream, reached through the gateway at /api/*; users-2 at {secondUsersUrl} takes over when it is out)
          chaos service    {chaosUrl}  (upstream, reached through the gateway at /chaos/*)
          gRPC sample      {grpcUrl}  (h2c upstream, reached through the gateway at /samples.v1.Sample/*; docs/grpc.md)
          route config     {Path.GetFullPath(builder.Configuration[ConfigFileExtensions.ConfigFileKey] ?? "appsettings.json")}  (edit it: routes change live)
          status page      {listeners.AdminUrl}  (admin key: demo-admin-key)
          traffic          {(withTraffic ? "the default scenario (src/Samples.Traffic/scenarios/default.json)" : "off (--no-traffic)")}
          console          a line every 10 s of what the gateway answered, by class and origin{(accessLog ? "; the access log is on" : "; --access-log adds a line per error response")}

        Try:
          curl -i {listeners.PublicUrl}api/users/1{tlsTry}
          curl -i {listeners.PublicUrl}chaos/slow?ms=5000     # 504 after the route's 2 s timeout
          curl -i {listeners.PublicUrl}unreachable/x          # 502: nothing listens upstream
          curl -i {listeners.PublicUrl}unhealthy/x            # 503 with Retry-After: no healthy destination

        """);

    // The gateway's own counts make the one summary line (a user's curls count too); the generator prints only its start and total.
    var summary = new ConsoleSummary(gateway.Services.GetRequiredService<ObservabilityMetrics>())
        .RunAsync(Console.Out, DemoConsole.SummaryInterval, gateway.Lifetime.ApplicationStopping);
    // The generator runs in-process until the demo stops (Ctrl+C), then prints its total.
    var traffic = withTraffic
        ? new TrafficGenerator(new TrafficOptions
        {
            Gateway = listeners.PublicUrl,
            // gRPC calls over the TLS listener (h2 by ALPN); the self-signed demo certificate is accepted for loopback only.
            GrpcGateway = listeners.PublicTlsUrl,
            GrpcInsecure = listeners.Certificate.IsSelfSigned && listeners.PublicTlsUrl is { IsLoopback: true },
            Output = Console.Out,
            Summaries = false,
        })
            .RunAsync(gateway.Lifetime.ApplicationStopping)
        : Task.CompletedTask;

    // Returns once ApplicationStopping has fired, which has stopped the generator and the summary too.
    await gateway.WaitForShutdownAsync();
    await summary;
    await traffic;
    await grpc.StopAsync();
    await chaos.StopAsync();
    await secondUsers.StopAsync();
    await users.StopAsync();
}
