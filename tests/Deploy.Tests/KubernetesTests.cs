using Deploy.Tests.Infrastructure;

namespace Deploy.Tests;

/// <summary>deploy/k8s (rendered by kubectl kustomize where installed) against the root appsettings.json and itself.</summary>
public sealed class KubernetesTests
{
    private const int AdminPort = 8081;

    private readonly Kustomize _k8s = Kustomize.Current;

    [RealComponentFact("kubectl")]
    public void Kustomize_renders_and_the_gateway_mounts_the_generated_config_map()
    {
        Assert.True(_k8s.Rendered);
        var volume = RoutesVolume();
        var configMapName = volume.MapAt("configMap").String("name");
        // The generator appends a content hash; kustomize rewrites the reference to it.
        Assert.StartsWith("gateway-routes-", configMapName, StringComparison.Ordinal);
        Assert.NotNull(_k8s.Find("ConfigMap", configMapName));
    }

    [Fact]
    public void Gateway_runs_at_least_two_replicas()
    {
        var replicas = int.Parse(Gateway().MapAt("spec").String("replicas"), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(replicas >= 2, $"gateway replicas: {replicas}");
    }

    [Fact]
    public void Gateway_probes_healthz_on_the_admin_port_it_listens_on()
    {
        var container = GatewayContainer();
        foreach (var probe in new[] { "readinessProbe", "livenessProbe" })
        {
            var get = container.MapAt(probe, "httpGet");
            Assert.Equal("/healthz", get.String("path"));
            Assert.Equal(AdminPort, ContainerPort(container, get.String("port")));
        }

        var admin = EffectiveSetting("Gateway:Urls:Admin");
        Assert.NotNull(admin);
        Assert.Equal(AdminPort, Compose.PortOf(admin));
    }

    [Fact]
    public void Gateway_pods_carry_the_prometheus_scrape_annotations()
    {
        var annotations = Gateway().MapAt("spec", "template", "metadata", "annotations");
        Assert.Equal("true", annotations.StringOrNull("prometheus.io/scrape"));
        Assert.Equal(AdminPort.ToString(System.Globalization.CultureInfo.InvariantCulture), annotations.StringOrNull("prometheus.io/port"));
        Assert.Equal("/metrics", annotations.StringOrNull("prometheus.io/path"));
    }

    [Fact]
    public void Every_container_has_resource_requests_and_limits()
    {
        var problems = new List<string>();
        foreach (var deployment in _k8s.OfKind("Deployment"))
        {
            foreach (var container in Containers(deployment))
            {
                foreach (var kind in new[] { "requests", "limits" })
                {
                    var values = container.MapOrNull("resources")?.MapOrNull(kind);
                    if (values?.StringOrNull("cpu") is null || values.StringOrNull("memory") is null)
                    {
                        problems.Add($"{Kustomize.Name(deployment)}/{container.StringOrNull("name")}: no cpu and memory {kind}");
                    }
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_image_is_pinned()
    {
        var loose = _k8s.OfKind("Deployment").SelectMany(Containers)
            .Select(container => container.String("image"))
            .Where(image => !ImageReference.IsPinned(image))
            .ToList();
        Assert.Empty(loose);
    }

    [Fact]
    public void Containers_of_our_images_keep_the_image_entrypoint()
    {
        // deploy/Dockerfile's exec-form ENTRYPOINT is what ImageTests runs; a `command:` here would replace it
        // (and a shell there would drop variables whose names are not shell identifiers).
        var ours = Yaml.LoadMap(Repository.Read($"{Kustomize.Folder}/kustomization.yaml")).ListOrEmpty("images").OfType<Map>()
            .Select(image => image.StringOrNull("newName") ?? image.String("name"))
            .ToHashSet(StringComparer.Ordinal);
        var containers = _k8s.OfKind("Deployment").SelectMany(Containers)
            .Where(container => ours.Contains(container.String("image").Split(':')[0]))
            .ToList();
        Assert.Equal(ours.Count, containers.Count);
        Assert.All(containers, container => Assert.False(container.Has("command"), $"{container.String("name")} overrides the image's ENTRYPOINT"));
    }

    [Fact]
    public void Config_map_has_the_same_routes_and_clusters_as_the_root_appsettings()
    {
        var root = AppSettings.LoadRoot();
        var k8s = GatewayRoutes();
        Assert.Equal(root.RouteIds.Order(StringComparer.Ordinal), k8s.RouteIds.Order(StringComparer.Ordinal));
        Assert.Equal(root.ClusterIds.Order(StringComparer.Ordinal), k8s.ClusterIds.Order(StringComparer.Ordinal));
        foreach (var cluster in root.ClusterIds)
        {
            Assert.Equal(root.Destinations[cluster].Keys.Order(StringComparer.Ordinal), k8s.Destinations[cluster].Keys.Order(StringComparer.Ordinal));
        }
    }

    [Fact]
    public void Config_map_is_mounted_as_a_directory_where_Gateway_ConfigFile_points()
    {
        var container = GatewayContainer();
        var configFile = Environment(container).GetValueOrDefault("Gateway__ConfigFile");
        Assert.NotNull(configFile);
        var volume = RoutesVolume();
        var mount = container.ListOrEmpty("volumeMounts").OfType<Map>().Single(mount => mount.String("name") == volume.String("name"));
        // A subPath mount never sees an updated ConfigMap.
        Assert.Null(mount.StringOrNull("subPath"));
        Assert.Equal(Path.GetDirectoryName(configFile), mount.String("mountPath").TrimEnd('/'));
        var configMap = _k8s.Get("ConfigMap", volume.MapAt("configMap").String("name"));
        Assert.True(configMap.MapAt("data").Has(Path.GetFileName(configFile)), $"the ConfigMap has no key {Path.GetFileName(configFile)}");
    }

    [Fact]
    public void Every_destination_host_is_a_service_on_that_port()
    {
        var root = AppSettings.LoadRoot();
        var problems = new List<string>();
        foreach (var (cluster, destinations) in GatewayRoutes().Destinations)
        {
            foreach (var (destination, address) in destinations)
            {
                if (address.IsLoopback)
                {
                    // Only the deliberately closed port may stay on loopback; an upstream there reaches nothing in a pod.
                    if (root.Destinations.GetValueOrDefault(cluster)?.GetValueOrDefault(destination) is not { } rootAddress
                        || rootAddress.Port is 5001 or 5002 || address.Port is 5001 or 5002)
                    {
                        problems.Add($"{cluster}/{destination}: {address} is a loopback address in a pod");
                    }

                    continue;
                }

                var service = _k8s.Find("Service", address.Host);
                if (service is null)
                {
                    problems.Add($"{cluster}/{destination}: no Service '{address.Host}'");
                }
                else if (!ServicePorts(service).Contains(address.Port))
                {
                    problems.Add($"{cluster}/{destination}: Service {address.Host} has no port {address.Port}");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Every_service_selects_a_deployment_and_targets_its_ports()
    {
        var problems = new List<string>();
        foreach (var service in _k8s.OfKind("Service"))
        {
            var deployment = SelectedDeployment(service.MapAt("spec").MapAt("selector"));
            if (deployment is null)
            {
                problems.Add($"Service {Kustomize.Name(service)} selects no Deployment's pods");
                continue;
            }

            foreach (var port in service.MapAt("spec").ListOrEmpty("ports").OfType<Map>())
            {
                var target = port.StringOrNull("targetPort") ?? port.String("port");
                if (!Containers(deployment).Any(container => ContainerPort(container, target) is not null))
                {
                    problems.Add($"Service {Kustomize.Name(service)} targets port {target}, which {Kustomize.Name(deployment)} does not expose");
                }
            }
        }

        Assert.Empty(problems);
        var gatewayPorts = ServicePorts(_k8s.Get("Service", "gateway"));
        Assert.Contains(8080, gatewayPorts);
        Assert.Contains(AdminPort, gatewayPorts);
    }

    [Fact]
    public void Disruption_budget_and_autoscaler_target_the_gateway()
    {
        var budget = Assert.Single(_k8s.OfKind("PodDisruptionBudget"));
        Assert.Equal("1", budget.MapAt("spec").String("minAvailable"));
        Assert.Same(Gateway(), SelectedDeployment(budget.MapAt("spec", "selector", "matchLabels")));

        var autoscaler = Assert.Single(_k8s.OfKind("HorizontalPodAutoscaler"));
        Assert.Equal("autoscaling/v2", autoscaler.String("apiVersion"));
        var target = autoscaler.MapAt("spec", "scaleTargetRef");
        Assert.Equal(("Deployment", Kustomize.Name(Gateway())), (target.String("kind"), target.String("name")));
        var minReplicas = int.Parse(autoscaler.MapAt("spec").StringOrNull("minReplicas") ?? "1", System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(minReplicas >= 2, "the autoscaler must not scale the gateway below 2 replicas");
        Assert.Contains(autoscaler.MapAt("spec").ListOrEmpty("metrics").OfType<Map>(),
            metric => metric.String("type") == "Resource" && metric.MapAt("resource").String("name") == "cpu");
    }

    [Fact]
    public void Redis_is_the_shared_store_and_each_pod_names_itself()
    {
        Assert.Null(EffectiveSetting("RateLimiting:Store")); // Rate limits follow the store.
        var replica = GatewayContainer().ListOrEmpty("env").OfType<Map>().Single(variable => variable.String("name") == "Gateway__Replica");
        Assert.Equal("metadata.name", replica.MapAt("valueFrom", "fieldRef").String("fieldPath"));
        var connection = EffectiveSetting("Store:Redis:ConnectionString") ?? "";
        var endpoint = connection.Split(',')[0].Split(':');
        var service = _k8s.Find("Service", endpoint[0]);
        Assert.True(service is not null, $"connection string '{connection}' names no Service");
        var port = endpoint.Length > 1 ? int.Parse(endpoint[1], System.Globalization.CultureInfo.InvariantCulture) : 6379;
        Assert.Contains(port, ServicePorts(service));
        var redis = SelectedDeployment(service.MapAt("spec", "selector"));
        Assert.NotNull(redis);
        Assert.Contains(Containers(redis), container => container.String("image").StartsWith("redis:", StringComparison.Ordinal));
    }

    private Map Gateway() => _k8s.Get("Deployment", "gateway");

    private Map GatewayContainer() => Containers(Gateway()).Single(container => container.String("name") == "gateway");

    private Map RoutesVolume() =>
        Gateway().MapAt("spec", "template", "spec").ListOrEmpty("volumes").OfType<Map>().Single(volume => volume.Has("configMap"));

    private AppSettings GatewayRoutes()
    {
        var configFile = Environment(GatewayContainer()).GetValueOrDefault("Gateway__ConfigFile") ?? "/app/appsettings.json";
        var configMap = _k8s.Get("ConfigMap", RoutesVolume().MapAt("configMap").String("name"));
        return AppSettings.Parse(configMap.MapAt("data").String(Path.GetFileName(configFile)));
    }

    /// <summary>The gateway's setting as the process sees it: its container env over the ConfigMap's file.</summary>
    private string? EffectiveSetting(string path) =>
        Environment(GatewayContainer()).GetValueOrDefault(path.Replace(":", "__", StringComparison.Ordinal)) ?? GatewayRoutes().Value(path);

    private Map? SelectedDeployment(Map selector)
    {
        var labels = (selector.MapOrNull("matchLabels") ?? selector).Values
            .Where(pair => pair.Value is string)
            .ToDictionary(pair => pair.Key, pair => (string)pair.Value!, StringComparer.Ordinal);
        return _k8s.OfKind("Deployment").FirstOrDefault(deployment =>
        {
            var podLabels = deployment.MapAt("spec", "template", "metadata").MapOrNull("labels");
            return labels.Count > 0 && labels.All(label => podLabels?.StringOrNull(label.Key) == label.Value);
        });
    }

    private static IEnumerable<Map> Containers(Map deployment) =>
        deployment.MapAt("spec", "template", "spec").ListOrEmpty("containers").OfType<Map>();

    private static IReadOnlyDictionary<string, string> Environment(Map container) =>
        container.ListOrEmpty("env").OfType<Map>()
            .Where(variable => variable.StringOrNull("value") is not null)
            .ToDictionary(variable => variable.String("name"), variable => variable.String("value"), StringComparer.Ordinal);

    /// <summary>The container port a probe or Service names (by number or by name), null when the container has none such.</summary>
    private static int? ContainerPort(Map container, string port)
    {
        foreach (var declared in container.ListOrEmpty("ports").OfType<Map>())
        {
            if (declared.String("containerPort") == port || declared.StringOrNull("name") == port)
            {
                return int.Parse(declared.String("containerPort"), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    private static List<int> ServicePorts(Map service) =>
        service.MapAt("spec").ListOrEmpty("ports").OfType<Map>()
            .Select(port => int.Parse(port.String("port"), System.Globalization.CultureInfo.InvariantCulture))
            .ToList();
}
