using System.Text.RegularExpressions;
using Deploy.Tests.Infrastructure;

namespace Deploy.Tests;

/// <summary>deploy/k8s (rendered by kubectl kustomize where installed) against the root appsettings.json and itself.</summary>
public sealed partial class KubernetesTests
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
        Assert.Equal([8080], ServicePorts(_k8s.Get("Service", "gateway")));
    }

    [Fact]
    public void The_admin_port_has_a_service_of_its_own_inside_the_cluster()
    {
        var admin = _k8s.OfKind("Service").Where(service => ServicePorts(service).Contains(AdminPort)).ToList();
        var service = Assert.Single(admin);
        Assert.NotEqual("gateway", Kustomize.Name(service));
        Assert.Equal([AdminPort], ServicePorts(service));
        Assert.Same(Gateway(), SelectedDeployment(service.MapAt("spec", "selector")));
        Assert.Equal("ClusterIP", service.MapAt("spec").StringOrNull("type") ?? "ClusterIP");
    }

    [Fact]
    public void Secrets_come_from_the_secret_by_secret_key_ref_never_from_the_config_map()
    {
        var env = EnvEntries(GatewayContainer());
        foreach (var name in SecretVariables)
        {
            Assert.True(env.TryGetValue(name, out var entry), $"the gateway container sets no {name}");
            Assert.Null(entry.StringOrNull("value"));
            Assert.Equal(SecretName, entry.MapAt("valueFrom", "secretKeyRef").String("name"));
        }

        Assert.Equal("Full", env["Admin__Keys__ops__Access"].StringOrNull("value"));
        Assert.Equal("ReadOnly", env["Admin__Keys__viewer__Access"].StringOrNull("value"));
        Assert.Equal(SecretVariables.Length, SecretVariables.Select(name => SecretKey(env[name])).Distinct().Count());

        // The connection string takes the password by $(REDIS_PASSWORD), which Kubernetes expands only from a variable set before it.
        var names = GatewayContainer().ListOrEmpty("env").OfType<Map>().Select(variable => variable.String("name")).ToList();
        var connection = RedisAcl.ConnectionOptions(env["Store__Redis__ConnectionString"].String("value"));
        Assert.Equal("gateway", connection["user"]);
        Assert.Equal("$(REDIS_PASSWORD)", connection["password"]);
        Assert.True(names.IndexOf("REDIS_PASSWORD") < names.IndexOf("Store__Redis__ConnectionString"), "REDIS_PASSWORD must come before the connection string");

        // The users API signs the tokens the gateway checks: the same key of the same Secret.
        var users = EnvEntries(Containers(_k8s.Get("Deployment", "users-api")).Single())["Auth__SigningKey"];
        Assert.Equal((SecretName, SecretKey(env["Auth__SigningKey"])), (users.MapAt("valueFrom", "secretKeyRef").String("name"), SecretKey(users)));

        var file = GatewayRoutes();
        Assert.Null(file.Value("Auth:SigningKey"));
        Assert.Null(file.Value("Store:IntegrityKey"));
        Assert.Null(file.Value("Store:Redis:ConnectionString"));
        Assert.False(file.Root.TryGetProperty("Admin", out var adminSection) && (adminSection.TryGetProperty("Keys", out _) || adminSection.TryGetProperty("AdminKeys", out _)),
            "the ConfigMap's appsettings.json sets admin keys");
    }

    [Fact]
    public void The_manifests_hold_no_secret_value_and_the_docs_create_every_key_with_random_values()
    {
        Assert.Empty(_k8s.OfKind("Secret"));
        var manifests = string.Join('\n', Directory.GetFiles(Repository.PathOf(Kustomize.Folder)).Select(File.ReadAllText));
        foreach (var shipped in new[] { "gateway-demo-signing-key", "demo-admin-key", "demo-readonly-key", "gateway-demo-redis-password" })
        {
            Assert.DoesNotContain(shipped, manifests, StringComparison.Ordinal);
        }

        var referenced = _k8s.OfKind("Deployment").SelectMany(Containers).SelectMany(container => EnvEntries(container).Values)
            .Select(entry => entry.MapOrNull("valueFrom")?.MapOrNull("secretKeyRef"))
            .OfType<Map>()
            .Select(reference => (reference.String("name"), reference.String("key")))
            .ToHashSet();
        Assert.All(referenced, reference => Assert.Equal(SecretName, reference.Item1));

        var command = CreateSecretCommand().Match(Repository.Read("docs/security/deploy.md"));
        Assert.True(command.Success, "docs/security/deploy.md shows no `kubectl create secret generic gateway-secrets ...` command");
        var literals = FromLiteral().Matches(command.Value).ToDictionary(match => match.Groups["key"].Value, match => match.Groups["value"].Value, StringComparer.Ordinal);
        Assert.Equal(referenced.Select(reference => reference.Item2).Order(StringComparer.Ordinal), literals.Keys.Order(StringComparer.Ordinal));
        Assert.All(literals.Values, value => Assert.Equal("$(openssl rand -hex 32)", value));
    }

    [Fact]
    public void Every_pod_runs_hardened()
    {
        var problems = new List<string>();
        foreach (var deployment in _k8s.OfKind("Deployment"))
        {
            var name = Kustomize.Name(deployment);
            var pod = deployment.MapAt("spec", "template", "spec");
            if (pod.StringOrNull("automountServiceAccountToken") != "false")
            {
                problems.Add($"{name}: automountServiceAccountToken is not false");
            }

            var podSecurity = pod.MapOrNull("securityContext");
            if (podSecurity?.StringOrNull("runAsNonRoot") != "true")
            {
                problems.Add($"{name}: pod runAsNonRoot is not true");
            }

            if (podSecurity?.MapOrNull("seccompProfile")?.StringOrNull("type") != "RuntimeDefault")
            {
                problems.Add($"{name}: pod seccompProfile is not RuntimeDefault");
            }

            foreach (var container in Containers(deployment))
            {
                var where = $"{name}/{container.String("name")}";
                var security = container.MapOrNull("securityContext");
                if (security?.StringOrNull("allowPrivilegeEscalation") != "false")
                {
                    problems.Add($"{where}: allowPrivilegeEscalation is not false");
                }

                if (security?.StringOrNull("readOnlyRootFilesystem") != "true")
                {
                    problems.Add($"{where}: readOnlyRootFilesystem is not true");
                }

                if (security?.MapOrNull("capabilities")?.ListOrEmpty("drop").OfType<string>().Contains("ALL") != true)
                {
                    problems.Add($"{where}: capabilities.drop lacks ALL");
                }

                if (security?.MapOrNull("capabilities")?.ListOrEmpty("add").Count > 0 || security?.StringOrNull("privileged") == "true")
                {
                    problems.Add($"{where}: adds privileges back");
                }
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void Each_read_only_container_has_an_empty_dir_where_it_writes()
    {
        // .NET writes its diagnostics sockets to /tmp; Redis's working directory is /data.
        var writes = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["gateway"] = "/tmp",
            ["users-api"] = "/tmp",
            ["chaos"] = "/tmp",
            ["grpc-sample"] = "/tmp",
            ["redis"] = "/data",
        };
        Assert.Equal(writes.Keys.Order(StringComparer.Ordinal), _k8s.OfKind("Deployment").Select(Kustomize.Name).Order(StringComparer.Ordinal));
        foreach (var (name, path) in writes)
        {
            var deployment = _k8s.Get("Deployment", name);
            var emptyDirs = deployment.MapAt("spec", "template", "spec").ListOrEmpty("volumes").OfType<Map>()
                .Where(volume => volume.Has("emptyDir")).Select(volume => volume.String("name")).ToHashSet(StringComparer.Ordinal);
            var mount = Containers(deployment).Single().ListOrEmpty("volumeMounts").OfType<Map>().FirstOrDefault(mount => mount.String("mountPath") == path);
            Assert.True(mount is not null && emptyDirs.Contains(mount.String("name")), $"{name}: no emptyDir mounted at {path}");
        }
    }

    [Fact]
    public void Only_gateway_pods_reach_redis()
    {
        var policies = PoliciesSelecting(PodLabels(_k8s.Get("Deployment", "redis")));
        Assert.NotEmpty(policies);
        var gatewayLabels = PodLabels(Gateway());
        foreach (var rule in policies.SelectMany(policy => policy.MapAt("spec").ListOrEmpty("ingress").OfType<Map>()))
        {
            var peers = rule.ListOrEmpty("from").OfType<Map>().ToList();
            Assert.NotEmpty(peers); // no "from" would mean everyone
            Assert.All(peers, peer =>
            {
                Assert.False(peer.Has("namespaceSelector") || peer.Has("ipBlock"), "redis: a rule admits other namespaces or addresses");
                Assert.True(Selects(peer.MapAt("podSelector"), gatewayLabels), "redis: a rule admits pods that are not the gateway's");
                Assert.False(Selects(peer.MapAt("podSelector"), PodLabels(_k8s.Get("Deployment", "users-api"))), "redis: a rule admits the users API");
            });
        }
    }

    [Fact]
    public void The_admin_port_is_reached_only_from_this_namespace_or_labelled_clients()
    {
        var policies = PoliciesSelecting(PodLabels(Gateway()));
        Assert.NotEmpty(policies);
        var adminRules = policies.SelectMany(policy => policy.MapAt("spec").ListOrEmpty("ingress").OfType<Map>())
            .Where(rule => rule.ListOrEmpty("ports").Count == 0 || rule.ListOrEmpty("ports").OfType<Map>().Any(port => port.String("port") is "8081" or "admin"))
            .ToList();
        Assert.NotEmpty(adminRules);
        foreach (var rule in adminRules)
        {
            var peers = rule.ListOrEmpty("from").OfType<Map>().ToList();
            Assert.NotEmpty(peers); // no "from" would mean everyone
            foreach (var peer in peers)
            {
                Assert.False(peer.Has("ipBlock"), "the admin port admits an address block");
                var sameNamespace = !peer.Has("namespaceSelector");
                var labelled = peer.MapOrNull("podSelector")?.ListOrEmpty("matchExpressions").OfType<Map>().Any(expression =>
                    expression.String("key") == AdminClientLabel && expression.String("operator") == "In"
                    && expression.ListOrEmpty("values").OfType<string>().SequenceEqual(["true"])) == true
                    || peer.MapOrNull("podSelector")?.MapOrNull("matchLabels")?.StringOrNull(AdminClientLabel) == "true";
                Assert.True(sameNamespace || labelled, "the admin port admits unlabelled pods of other namespaces");
            }
        }

        // The public port stays open to all.
        Assert.Contains(policies.SelectMany(policy => policy.MapAt("spec").ListOrEmpty("ingress").OfType<Map>()),
            rule => !rule.Has("from") && rule.ListOrEmpty("ports").OfType<Map>().Any(port => port.String("port") == "8080"));
    }

    [Fact]
    public void Redis_takes_only_the_gateway_acl_user_with_the_password_of_the_secret_and_compose_rules()
    {
        var redis = Containers(_k8s.Get("Deployment", "redis")).Single();
        var env = EnvEntries(redis);
        var acl = RedisAcl.Parse(redis.ListOrEmpty("args").OfType<string>().ToList());
        Assert.Equal("off", acl.DefaultUser);
        Assert.Equal("$(REDIS_PASSWORD)", acl.Password);
        Assert.Equal(RedisAcl.GatewayRules, acl.Rules);
        Assert.Equal(RedisAcl.Parse(Compose.Command(Compose.Load().Service("redis"))).Rules, acl.Rules);
        foreach (var name in new[] { "REDIS_PASSWORD", "REDISCLI_AUTH" })
        {
            Assert.Equal((SecretName, "redis-password"), (env[name].MapAt("valueFrom", "secretKeyRef").String("name"), SecretKey(env[name])));
        }

        Assert.Equal("redis-password", SecretKey(EnvEntries(GatewayContainer())["REDIS_PASSWORD"]));
        var probe = string.Join(' ', redis.MapAt("readinessProbe", "exec").ListOrEmpty("command").OfType<string>());
        Assert.Contains("redis-cli --user gateway ping | grep -q PONG", probe, StringComparison.Ordinal);
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

    private const string SecretName = "gateway-secrets";

    private static readonly string[] SecretVariables = ["Auth__SigningKey", "Admin__Keys__ops__Key", "Admin__Keys__viewer__Key", "Store__IntegrityKey", "REDIS_PASSWORD"];

    private const string AdminClientLabel = "gateway-admin-client";

    private Map Gateway() => _k8s.Get("Deployment", "gateway");

    private List<Map> PoliciesSelecting(IReadOnlyDictionary<string, string> podLabels) =>
        _k8s.OfKind("NetworkPolicy")
            .Where(policy => Selects(policy.MapAt("spec", "podSelector"), podLabels)
                && policy.MapAt("spec").ListOrEmpty("policyTypes").OfType<string>().DefaultIfEmpty("Ingress").Contains("Ingress"))
            .ToList();

    private static Dictionary<string, string> PodLabels(Map deployment) =>
        deployment.MapAt("spec", "template", "metadata", "labels").Values
            .ToDictionary(pair => pair.Key, pair => pair.Value as string ?? "", StringComparer.Ordinal);

    /// <summary>A label selector (matchLabels, matchExpressions In/NotIn/Exists) applied to one pod's labels.</summary>
    private static bool Selects(Map selector, IReadOnlyDictionary<string, string> labels) =>
        (selector.MapOrNull("matchLabels")?.Values ?? new Dictionary<string, object?>())
            .All(pair => labels.GetValueOrDefault(pair.Key) == pair.Value as string)
        && selector.ListOrEmpty("matchExpressions").OfType<Map>().All(expression =>
        {
            var values = expression.ListOrEmpty("values").OfType<string>().ToList();
            var has = labels.TryGetValue(expression.String("key"), out var value);
            return expression.String("operator") switch
            {
                "In" => has && values.Contains(value!),
                "NotIn" => !has || !values.Contains(value!),
                "Exists" => has,
                "DoesNotExist" => !has,
                _ => false,
            };
        });

    private static Dictionary<string, Map> EnvEntries(Map container) =>
        container.ListOrEmpty("env").OfType<Map>().ToDictionary(variable => variable.String("name"), StringComparer.Ordinal);

    private static string SecretKey(Map variable) => variable.MapAt("valueFrom", "secretKeyRef").String("key");

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

    [GeneratedRegex(@"kubectl create secret generic gateway-secrets(?:[^\n]|\\\n)*")]
    private static partial Regex CreateSecretCommand();

    [GeneratedRegex(@"--from-literal=(?<key>[a-z-]+)=(?<value>\$\(openssl rand -hex \d+\)|\S+)")]
    private static partial Regex FromLiteral();
}
