using System.Text.RegularExpressions;
using Deploy.Tests.Infrastructure;

namespace Deploy.Tests;

/// <summary>docker-compose.yml against the repository: projects, files, appsettings.json, Prometheus, Grafana.</summary>
public sealed partial class ComposeTests
{
    private static readonly int[] DocumentedPorts = [8080, 8081, 9090, 3000, 16686];

    private static readonly string[] ExpectedServices = ["gateway", "users-api", "chaos", "traffic", "prometheus", "grafana", "jaeger", "redis"];

    private readonly Compose _compose = Compose.Load();

    [Fact]
    public void Parses_and_has_every_service()
    {
        Assert.Empty(ExpectedServices.Except(_compose.Services.Keys));
    }

    [Fact]
    public void Every_built_service_has_an_existing_context_dockerfile_and_project()
    {
        var problems = new List<string>();
        foreach (var (name, service) in _compose.Services)
        {
            if (Compose.Build(service) is not { } build)
            {
                continue;
            }

            var context = Repository.PathOf(build.StringOrNull("context") ?? ".");
            var dockerfile = Path.Combine(context, build.StringOrNull("dockerfile") ?? "Dockerfile");
            if (!Directory.Exists(context))
            {
                problems.Add($"{name}: build context {context} does not exist");
            }

            if (!File.Exists(dockerfile))
            {
                problems.Add($"{name}: Dockerfile {dockerfile} does not exist");
            }

            var args = Compose.BuildArgs(build);
            if (!args.TryGetValue("PROJECT", out var project) || project.Length == 0)
            {
                problems.Add($"{name}: no PROJECT build arg");
                continue;
            }

            var csproj = Path.Combine(context, "src", project, $"{project}.csproj");
            if (!File.Exists(csproj))
            {
                problems.Add($"{name}: PROJECT={project} but src/{project}/{project}.csproj does not exist");
                continue;
            }

            // APP names the dll the entrypoint runs: it must be the project's assembly.
            var assembly = AssemblyNameOf(csproj) ?? project;
            if (args.GetValueOrDefault("APP") is { } app && app != assembly)
            {
                problems.Add($"{name}: APP={app} but {project} builds {assembly}.dll");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_bind_mounted_host_path_exists()
    {
        var missing = _compose.Services
            .SelectMany(service => Compose.Binds(service.Value).Select(bind => (service.Key, bind.HostPath)))
            .Where(bind => !File.Exists(bind.HostPath) && !Directory.Exists(bind.HostPath))
            .Select(bind => $"{bind.Key}: {bind.HostPath}")
            .ToList();
        Assert.Empty(missing);
    }

    [Fact]
    public void Every_service_has_a_healthcheck()
    {
        var without = _compose.Services
            .Where(service => service.Value.MapOrNull("healthcheck") is not { } check
                || check.StringOrNull("disable") == "true"
                || check["test"] is null
                || (check["test"] is List<object?> test && test.FirstOrDefault() as string == "NONE"))
            .Select(service => service.Key)
            .ToList();
        Assert.Empty(without);
    }

    [Fact]
    public void Http_healthchecks_ask_the_port_the_service_listens_on()
    {
        var problems = new List<string>();
        foreach (var (name, service) in _compose.Services)
        {
            var test = string.Join(' ', service.MapOrNull("healthcheck")?.ListOrEmpty("test").OfType<string>() ?? []);
            var probe = ProbedPort().Match(test);
            if (!probe.Success)
            {
                continue;
            }

            var port = int.Parse(probe.Groups["port"].Value, System.Globalization.CultureInfo.InvariantCulture);
            var listens = Compose.ListenPorts(service);
            if (Compose.Build(service) is not null && !listens.Contains(port))
            {
                problems.Add($"{name}: healthcheck asks port {port}, the service listens on {string.Join(", ", listens)}");
            }

            if (Compose.Build(service) is { } build && Compose.BuildArgs(build).GetValueOrDefault("HEALTH_PORT") is { Length: > 0 } healthPort
                && healthPort != port.ToString(System.Globalization.CultureInfo.InvariantCulture))
            {
                problems.Add($"{name}: HEALTH_PORT build arg {healthPort} but the compose healthcheck asks {port}");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_image_tag_is_pinned()
    {
        var loose = _compose.Services
            .Where(service => Compose.Build(service.Value) is null || service.Value.Has("image"))
            .Select(service => (service.Key, Image: Compose.Interpolate(service.Value.StringOrNull("image") ?? "")))
            .Where(service => !ImageReference.IsPinned(service.Image))
            .Select(service => $"{service.Key}: '{service.Image}'")
            .ToList();
        Assert.Empty(loose);
    }

    [Fact]
    public void Startup_order_waits_for_health()
    {
        Assert.Equal("service_healthy", Compose.DependsOn(_compose.Service("traffic")).GetValueOrDefault("gateway"));
        var gateway = Compose.DependsOn(_compose.Service("gateway"));
        Assert.Equal("service_healthy", gateway.GetValueOrDefault("users-api"));
        Assert.Equal("service_healthy", gateway.GetValueOrDefault("chaos"));
        Assert.Equal("service_healthy", Compose.DependsOn(_compose.Service("grafana")).GetValueOrDefault("prometheus"));

        var unknown = _compose.Services
            .SelectMany(service => Compose.DependsOn(service.Value).Keys.Select(dependency => (service.Key, dependency)))
            .Where(pair => !_compose.Services.ContainsKey(pair.dependency))
            .Select(pair => $"{pair.Key} -> {pair.dependency}")
            .ToList();
        Assert.Empty(unknown);
    }

    [Fact]
    public void Publishes_the_documented_ports_once_each()
    {
        var published = _compose.Services.Values.SelectMany(Compose.PublishedPorts).Select(port => port.Host).ToList();
        Assert.Empty(DocumentedPorts.Except(published));
        Assert.Empty(published.GroupBy(port => port).Where(group => group.Count() > 1).Select(group => group.Key));
    }

    [Fact]
    public void Destination_overrides_name_real_clusters_and_reach_compose_services()
    {
        var settings = AppSettings.LoadRoot();
        var environment = Compose.Environment(_compose.Service("gateway"));
        var overrides = environment
            .Select(pair => (Match: DestinationOverride().Match(pair.Key), Address: pair.Value))
            .Where(pair => pair.Match.Success)
            .ToDictionary(pair => (pair.Match.Groups["cluster"].Value, pair.Match.Groups["destination"].Value), pair => new Uri(pair.Address));

        var problems = new List<string>();
        foreach (var ((cluster, destination), address) in overrides)
        {
            if (!settings.Destinations.TryGetValue(cluster, out var destinations))
            {
                problems.Add($"override of cluster '{cluster}', which appsettings.json does not have (has: {string.Join(", ", settings.ClusterIds)})");
            }
            else if (!destinations.ContainsKey(destination))
            {
                problems.Add($"override of destination '{cluster}/{destination}', which appsettings.json does not have");
            }

            if (!_compose.Services.TryGetValue(address.Host, out var target))
            {
                problems.Add($"{cluster}/{destination} -> {address}: no compose service '{address.Host}'");
            }
            else if (!Compose.ListenPorts(target).Contains(address.Port))
            {
                problems.Add($"{cluster}/{destination} -> {address}: {address.Host} listens on {string.Join(", ", Compose.ListenPorts(target))}");
            }
        }

        // The upstreams the native demo reaches on loopback are containers here; the closed port stays closed.
        foreach (var (cluster, destinations) in settings.Destinations)
        {
            foreach (var (destination, address) in destinations)
            {
                if (address.IsLoopback && address.Port is 5001 or 5002 && !overrides.ContainsKey((cluster, destination)))
                {
                    problems.Add($"cluster '{cluster}' destination '{destination}' ({address}) is not overridden: in a container it reaches nothing");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Gateway_reads_the_root_appsettings_through_a_directory_mount_and_polls_it()
    {
        var gateway = _compose.Service("gateway");
        var environment = Compose.Environment(gateway);
        var configFile = environment.GetValueOrDefault("Gateway__ConfigFile");
        Assert.NotNull(configFile);
        var hostPath = Compose.HostPathOf(gateway, configFile);
        Assert.Equal(Repository.PathOf("appsettings.json"), hostPath);

        // A single-file bind mount keeps the old inode when an editor saves by rename: mount its directory.
        var bind = Compose.Binds(gateway).Single(bind => configFile.StartsWith(bind.ContainerPath.TrimEnd('/') + "/", StringComparison.Ordinal));
        Assert.True(Directory.Exists(bind.HostPath), $"{bind.HostPath} should be a directory mount");
        Assert.True(bind.ReadOnly, "the config mount should be read-only");

        var polling = environment.GetValueOrDefault("DOTNET_USE_POLLING_FILE_WATCHER")
            ?? (Repository.Read("deploy/Dockerfile").Contains("DOTNET_USE_POLLING_FILE_WATCHER=1", StringComparison.Ordinal) ? "1" : null);
        Assert.True(polling is "1" or "true", "DOTNET_USE_POLLING_FILE_WATCHER must be on (bind mounts deliver no inotify events on Docker Desktop)");
    }

    [Fact]
    public void Gateway_uses_the_redis_service_as_its_shared_store()
    {
        var environment = Compose.Environment(_compose.Service("gateway"));
        // Rate limits follow the store unless RateLimiting:Store says otherwise (the root config does not).
        Assert.Null(environment.GetValueOrDefault("RateLimiting__Store"));
        Assert.Null(AppSettings.LoadRoot().Value("RateLimiting:Store"));
        var connection = environment.GetValueOrDefault("Store__Redis__ConnectionString") ?? "";
        var host = connection.Split(',')[0].Split(':')[0];
        Assert.True(_compose.Services.TryGetValue(host, out var redis), $"connection string '{connection}' names no compose service");
        Assert.StartsWith("redis:", redis.StringOrNull("image") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public void Traced_services_export_to_jaeger_and_traffic_targets_the_gateway()
    {
        var jaeger = _compose.Service("jaeger");
        Assert.StartsWith("jaegertracing/all-in-one:", jaeger.String("image"), StringComparison.Ordinal);
        foreach (var name in new[] { "gateway", "users-api", "chaos" })
        {
            var endpoint = Compose.Environment(_compose.Service(name)).GetValueOrDefault("OTEL_EXPORTER_OTLP_ENDPOINT");
            Assert.True(endpoint is not null, $"{name} has no OTEL_EXPORTER_OTLP_ENDPOINT");
            var uri = new Uri(endpoint);
            Assert.Equal(("jaeger", 4317), (uri.Host, uri.Port));
        }

        var gatewayUrl = new Uri(Compose.Environment(_compose.Service("traffic")).GetValueOrDefault("TRAFFIC_GATEWAY") ?? "http://missing");
        Assert.Equal("gateway", gatewayUrl.Host);
        Assert.Equal(Compose.PortOf(Compose.Environment(_compose.Service("gateway"))["Gateway__Urls__Public"]), gatewayUrl.Port);
    }

    [Fact]
    public void Gateway_and_users_api_share_the_signing_key()
    {
        // Both default to the same demo key; whatever compose sets must be set on both, to the same value.
        var gateway = Compose.Environment(_compose.Service("gateway")).GetValueOrDefault("Auth__SigningKey");
        var users = Compose.Environment(_compose.Service("users-api")).GetValueOrDefault("Auth__SigningKey");
        Assert.Equal(gateway, users);
    }

    [Fact]
    public void Prometheus_scrapes_the_gateway_admin_port()
    {
        var prometheus = _compose.Service("prometheus");
        var configFlag = Compose.Command(prometheus).FirstOrDefault(arg => arg.StartsWith("--config.file=", StringComparison.Ordinal))
            ?? "--config.file=/etc/prometheus/prometheus.yml";
        var configPath = Compose.HostPathOf(prometheus, configFlag["--config.file=".Length..]);
        Assert.Equal(Repository.PathOf("deploy/prometheus/prometheus.yml"), configPath);

        var config = Yaml.LoadMap(File.ReadAllText(configPath!));
        var targets = config.ListOrEmpty("scrape_configs").OfType<Map>()
            .SelectMany(job => job.ListOrEmpty("static_configs").OfType<Map>())
            .SelectMany(staticConfig => staticConfig.ListOrEmpty("targets").OfType<string>())
            .ToList();
        var adminPort = Compose.PortOf(Compose.Environment(_compose.Service("gateway"))["Gateway__Urls__Admin"]);
        Assert.Contains($"gateway:{adminPort}", targets);
        // The traffic generator's incidents (dashboard annotations) on the port it listens on.
        Assert.Contains(Compose.ListenPorts(_compose.Service("traffic")), port => targets.Contains($"traffic:{port}"));
        // Exemplars (trace ids on the latency histogram) are kept only with this feature flag.
        Assert.Contains("--enable-feature=exemplar-storage", Compose.Command(prometheus));

        // The rule files the config names are where the mount puts them.
        var configDirectory = Path.GetDirectoryName(configPath)!;
        foreach (var pattern in config.ListOrEmpty("rule_files").OfType<string>())
        {
            var directory = Path.Combine(configDirectory, Path.GetDirectoryName(pattern) ?? "");
            Assert.NotEmpty(Directory.GetFiles(directory, Path.GetFileName(pattern)));
        }
    }

    [Fact]
    public void Grafana_datasource_is_the_prometheus_service_and_the_home_dashboard_exists()
    {
        var grafana = _compose.Service("grafana");
        var provisioning = Compose.HostPathOf(grafana, "/etc/grafana/provisioning");
        Assert.Equal(Repository.PathOf("grafana/provisioning"), provisioning);

        var datasources = Directory.GetFiles(Path.Combine(provisioning!, "datasources"), "*.y*ml")
            .SelectMany(file => Yaml.LoadMap(File.ReadAllText(file)).ListOrEmpty("datasources").OfType<Map>())
            .Where(source => source.StringOrNull("type") == "prometheus")
            .ToList();
        Assert.NotEmpty(datasources);
        var prometheusPorts = Compose.ListenPorts(_compose.Service("prometheus"));
        foreach (var source in datasources)
        {
            var url = new Uri(source.String("url"));
            Assert.Equal("prometheus", url.Host);
            Assert.Contains(url.Port, prometheusPorts);
        }

        // An exemplar's trace_id (the label the gateway writes) links to a provisioned Jaeger datasource on Jaeger's UI port.
        var all = Directory.GetFiles(Path.Combine(provisioning!, "datasources"), "*.y*ml")
            .SelectMany(file => Yaml.LoadMap(File.ReadAllText(file)).ListOrEmpty("datasources").OfType<Map>())
            .ToList();
        foreach (var source in datasources)
        {
            var destinations = source.MapOrNull("jsonData")?.ListOrEmpty("exemplarTraceIdDestinations").OfType<Map>().ToList() ?? [];
            var destination = Assert.Single(destinations);
            Assert.Equal("trace_id", destination.String("name"));
            var jaeger = Assert.Single(all, candidate => candidate.StringOrNull("uid") == destination.String("datasourceUid"));
            Assert.Equal("jaeger", jaeger.String("type"));
            var jaegerUrl = new Uri(jaeger.String("url"));
            Assert.Equal("jaeger", jaegerUrl.Host);
            Assert.Contains((jaegerUrl.Port, jaegerUrl.Port), Compose.PublishedPorts(_compose.Service("jaeger")));
        }

        var home = Compose.Environment(grafana).GetValueOrDefault("GF_DASHBOARDS_DEFAULT_HOME_DASHBOARD_PATH");
        Assert.NotNull(home);
        var homeOnHost = Compose.HostPathOf(grafana, home);
        Assert.NotNull(homeOnHost);
        Assert.StartsWith(Repository.PathOf("grafana/dashboards") + Path.DirectorySeparatorChar, homeOnHost, StringComparison.Ordinal);
        Assert.True(File.Exists(homeOnHost), $"{home} is {homeOnHost} on the host, which does not exist");

        // The dashboard provider loads the folder the dashboards are mounted at.
        var providerPaths = Directory.GetFiles(Path.Combine(provisioning!, "dashboards"), "*.y*ml")
            .SelectMany(file => Yaml.LoadMap(File.ReadAllText(file)).ListOrEmpty("providers").OfType<Map>())
            .Select(provider => provider.MapOrNull("options")?.StringOrNull("path"))
            .OfType<string>()
            .ToList();
        Assert.Contains(providerPaths, path => Compose.HostPathOf(grafana, path) == Repository.PathOf("grafana/dashboards"));
    }

    [Fact]
    public void Every_published_port_is_bound_to_loopback()
    {
        var open = new List<string>();
        foreach (var (name, service) in _compose.Services)
        {
            foreach (var entry in service.ListOrEmpty("ports"))
            {
                var hostIp = entry switch
                {
                    string text when Compose.Interpolate(text).Split(':') is { Length: 3 } parts => parts[0],
                    Map map => map.StringOrNull("host_ip"),
                    _ => null,
                };
                if (hostIp != "127.0.0.1")
                {
                    open.Add($"{name}: {(entry is Map ? "long syntax" : entry)} (on every interface)");
                }
            }
        }

        Assert.NotEmpty(_compose.Services.Values.SelectMany(service => service.ListOrEmpty("ports")));
        Assert.Empty(open);
    }

    [Fact]
    public void Every_service_runs_without_new_privileges_capabilities_or_a_writable_root()
    {
        var problems = new List<string>();
        foreach (var (name, service) in _compose.Services)
        {
            if (!service.ListOrEmpty("security_opt").OfType<string>().Any(option => option.Replace('=', ':') == "no-new-privileges:true"))
            {
                problems.Add($"{name}: no security_opt no-new-privileges:true");
            }

            if (!service.ListOrEmpty("cap_drop").OfType<string>().Contains("ALL"))
            {
                problems.Add($"{name}: cap_drop lacks ALL");
            }

            if (service.StringOrNull("read_only") != "true")
            {
                problems.Add($"{name}: root filesystem not read_only");
            }

            if (service.ListOrEmpty("cap_add").Count > 0 || service.StringOrNull("privileged") == "true")
            {
                problems.Add($"{name}: adds privileges back");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Each_read_only_service_has_a_tmpfs_where_it_writes()
    {
        // .NET writes its diagnostics sockets to /tmp; Prometheus its TSDB; Redis its working directory; Grafana its database and log.
        var writes = _compose.Services
            .Where(service => Compose.Build(service.Value) is not null)
            .ToDictionary(service => service.Key, _ => (string[])["/tmp"], StringComparer.Ordinal);
        writes["prometheus"] = [Compose.Command(_compose.Service("prometheus")).Single(arg => arg.StartsWith("--storage.tsdb.path=", StringComparison.Ordinal)).Split('=', 2)[1]];
        writes["redis"] = ["/data"];
        writes["grafana"] = ["/var/lib/grafana", "/var/log/grafana"];
        var problems = new List<string>();
        foreach (var (name, paths) in writes)
        {
            var tmpfs = _compose.Service(name)["tmpfs"] switch
            {
                List<object?> list => list.OfType<string>().Select(entry => entry.Split(':')[0]).ToList(),
                string single => [single.Split(':')[0]],
                _ => [],
            };
            problems.AddRange(paths.Where(path => !tmpfs.Contains(path)).Select(path => $"{name}: no tmpfs at {path}"));
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Compose_is_demo_mode_and_every_secret_fallback_is_a_known_demo_value()
    {
        Assert.Equal("true", Compose.Environment(_compose.Service("gateway")).GetValueOrDefault("Gateway__DemoMode"));
        // Each ${VAR:-default} of a secret must be one of DemoSecrets.Shipped: outside demo mode the gateway refuses it.
        var demoSecrets = Repository.Read("src/Gateway/Hosting/DemoSecrets.cs");
        var fallbacks = SecretFallback().Matches(Repository.Read(Compose.FileName)).Select(match => match.Groups["value"].Value).Distinct().ToList();
        Assert.Equal(2, fallbacks.Count);
        Assert.All(fallbacks, value => Assert.Contains($"\"{value}\"", demoSecrets, StringComparison.Ordinal));
    }

    [Fact]
    public void Redis_takes_only_the_gateway_acl_user_and_the_gateway_logs_in_as_it()
    {
        var redis = _compose.Service("redis");
        var acl = RedisAcl.Parse(Compose.Command(redis));
        Assert.Equal("off", acl.DefaultUser);
        var connection = RedisAcl.ConnectionOptions(Compose.Environment(_compose.Service("gateway"))["Store__Redis__ConnectionString"]);
        Assert.Equal("gateway", connection.GetValueOrDefault("user"));
        Assert.Equal(acl.Password, connection.GetValueOrDefault("password"));
        Assert.Equal(RedisAcl.GatewayRules, acl.Rules);

        // redis-cli logs in as the gateway user for the healthcheck (it exits 0 on NOAUTH: the answer is checked).
        Assert.Equal(acl.Password, Compose.Environment(redis).GetValueOrDefault("REDISCLI_AUTH"));
        var check = string.Join(' ', redis.MapAt("healthcheck").ListOrEmpty("test").OfType<string>());
        Assert.Contains("redis-cli --user gateway ping", check, StringComparison.Ordinal);
        Assert.Contains("grep -q PONG", check, StringComparison.Ordinal);
        // The image's entrypoint would chown and switch users as root, which needs the capabilities compose drops.
        Assert.Equal("redis", redis.StringOrNull("user"));
    }

    private static string? AssemblyNameOf(string csproj) =>
        System.Xml.Linq.XDocument.Load(csproj).Descendants("AssemblyName").Select(element => element.Value.Trim()).FirstOrDefault();

    [GeneratedRegex(@"^ReverseProxy__Clusters__(?<cluster>[^_]+(?:_[^_]+)*)__Destinations__(?<destination>.+)__Address$")]
    private static partial Regex DestinationOverride();

    [GeneratedRegex(@"\$\{(?:GATEWAY_SIGNING_KEY|GATEWAY_REDIS_PASSWORD):-(?<value>[^}]*)\}")]
    private static partial Regex SecretFallback();

    [GeneratedRegex(@"/dev/tcp/(?:127\.0\.0\.1|localhost)/(?<port>\d+)")]
    private static partial Regex ProbedPort();
}
