using System.Text.Json.Nodes;
using static PgReplica.Operator.Tests.Manifests.Kustomize.KustomizeBuild;

namespace PgReplica.Operator.Tests.Manifests.Kustomize;

/// <summary>What <c>kubectl apply -k config/default</c> would send holds together: names, namespaces, references, image, CRD.</summary>
public sealed class DefaultKustomizationTests(RenderedDefault rendered) : IClassFixture<RenderedDefault>
{
    private static readonly HashSet<string> ClusterScopedKinds =
        ["Namespace", "CustomResourceDefinition", "ClusterRole", "ClusterRoleBinding"];

    [Fact]
    public void EveryObjectHasAnApiVersionKindAndName()
    {
        Assert.NotEmpty(rendered.Build.Objects);
        Assert.All(rendered.Build.Objects, o =>
        {
            Assert.False(string.IsNullOrEmpty(o["apiVersion"]?.GetValue<string>()));
            Assert.False(string.IsNullOrEmpty(Kind(o)));
            Assert.False(string.IsNullOrEmpty(Name(o)));
        });
    }

    [Fact]
    public void TheBaseHoldsTheExpectedObjects()
    {
        var kinds = rendered.Build.Objects.Select(o => Kind(o)!).Order().ToList();

        Assert.Equal(
            ["ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition", "Deployment", "Namespace", "Role", "RoleBinding", "Service", "ServiceAccount"],
            kinds);
    }

    [Fact]
    public void NamespacedObjectsLiveInTheOperatorNamespaceAndClusterScopedOnesInNone()
    {
        Assert.Equal(RenderedDefault.OperatorNamespace, Name(rendered.Build.Single("Namespace")));
        Assert.All(rendered.Build.Objects, o => Assert.Equal(
            ClusterScopedKinds.Contains(Kind(o)!) ? null : RenderedDefault.OperatorNamespace, Namespace(o)));
    }

    [Fact]
    public void NoTwoObjectsShareKindNamespaceAndName()
    {
        var keys = rendered.Build.Objects.Select(o => $"{Kind(o)}/{Namespace(o)}/{Name(o)}").ToList();

        Assert.Equal(keys.Count, keys.Distinct().Count());
    }

    [Fact]
    public void TheDeploymentRunsAsTheServiceAccount()
    {
        var account = rendered.Build.Single("ServiceAccount");

        Assert.Equal(Name(account), rendered.PodSpec["serviceAccountName"]?.GetValue<string>());
        Assert.Equal(Namespace(account), Namespace(rendered.Deployment));
        Assert.NotEqual(false, rendered.PodSpec["automountServiceAccountToken"]?.GetValue<bool>());
    }

    [Theory]
    [InlineData("ClusterRoleBinding", "ClusterRole")]
    [InlineData("RoleBinding", "Role")]
    public void EachBindingGrantsAnIncludedRoleToTheServiceAccount(string bindingKind, string roleKind)
    {
        var account = rendered.Build.Single("ServiceAccount");
        var binding = rendered.Build.Single(bindingKind);
        var roleRef = binding["roleRef"]!;

        Assert.Equal("rbac.authorization.k8s.io", roleRef["apiGroup"]?.GetValue<string>());
        Assert.Equal(roleKind, roleRef["kind"]?.GetValue<string>());
        var role = rendered.Build.Find(roleKind, roleRef["name"]!.GetValue<string>());
        Assert.NotNull(role);
        Assert.Equal(Namespace(binding), Namespace(role!));
        var subject = Assert.Single(binding["subjects"]!.AsArray())!;
        Assert.Equal("ServiceAccount", subject["kind"]?.GetValue<string>());
        Assert.Equal(Name(account), subject["name"]?.GetValue<string>());
        Assert.Equal(Namespace(account), subject["namespace"]?.GetValue<string>());
    }

    [Fact]
    public void TheCrdIsIncludedUnchanged()
    {
        var generated = YamlDocuments.ParseFile(RepositoryRoot.Combine("config", "crds", "pgreplica.io_postgresreplicasets.yaml"));
        var crd = rendered.Build.Single("CustomResourceDefinition");

        Assert.Equal("postgresreplicasets.pgreplica.io", Name(crd));
        Assert.True(JsonNode.DeepEquals(generated, crd), "kustomize changed the generated CRD");
    }

    [Fact]
    public void TheImageIsTheKustomizeParameterisedOne()
    {
        Assert.Equal("pgreplica-operator:dev", rendered.Container["image"]?.GetValue<string>());
    }

    [Fact]
    public async Task AnOverlayCanSetTheImage()
    {
        var overlay = Directory.CreateTempSubdirectory("pgreplica-overlay-");
        try
        {
            var relative = Path.GetRelativePath(overlay.FullName, RepositoryRoot.Combine("config", "default"));
            await File.WriteAllTextAsync(Path.Combine(overlay.FullName, "kustomization.yaml"), $"""
                resources:
                - {relative}
                images:
                - name: pgreplica-operator
                  newName: registry.example.com/team/pgreplica-operator
                  newTag: v1.2.3
                """);

            var build = await RenderAsync(overlay.FullName);

            var container = Assert.Single(build.Single("Deployment")["spec"]!["template"]!["spec"]!["containers"]!.AsArray())!;
            Assert.Equal("registry.example.com/team/pgreplica-operator:v1.2.3", container["image"]?.GetValue<string>());
        }
        finally
        {
            overlay.Delete(recursive: true);
        }
    }

    [Fact]
    public void TheOperatorPodIsHardened()
    {
        Assert.Empty(PodHardening.Violations(rendered.PodSpec));
    }

    [Theory]
    [InlineData("securityContext.capabilities")]
    [InlineData("securityContext.readOnlyRootFilesystem")]
    [InlineData("securityContext.allowPrivilegeEscalation")]
    [InlineData("securityContext.runAsUser")]
    [InlineData("volumeMounts")]
    public void TheHardeningCheckNoticesAMissingSetting(string containerPath)
    {
        var podSpec = rendered.PodSpec.DeepClone();
        var container = podSpec["containers"]![0]!;
        var parts = containerPath.Split('.');
        var parent = parts.SkipLast(1).Aggregate(container, (node, part) => node[part]!);
        parent.AsObject().Remove(parts[^1]);
        podSpec["securityContext"]!.AsObject().Remove(parts[^1]);

        Assert.NotEmpty(PodHardening.Violations(podSpec));
    }

    [Fact]
    public void TwoReplicasElectALeader()
    {
        var args = ContainerArgs();

        Assert.Equal(2, rendered.Deployment["spec"]!["replicas"]!.GetValue<long>());
        Assert.Contains("--leader-elect", args);
        var env = rendered.Container["env"]!.AsArray().ToDictionary(
            e => e!["name"]!.GetValue<string>(), e => e!["valueFrom"]?["fieldRef"]?["fieldPath"]?.GetValue<string>());
        Assert.Equal("metadata.name", env["POD_NAME"]);
        Assert.Equal("metadata.namespace", env["POD_NAMESPACE"]);
    }

    [Fact]
    public void ProbesMetricsAddressPortAndServiceAgree()
    {
        var args = ContainerArgs();
        var address = args[args.IndexOf("--metrics-address") + 1];
        var port = Assert.Single(rendered.Container["ports"]!.AsArray())!;
        var portNumber = port["containerPort"]!.GetValue<long>();
        var portName = port["name"]!.GetValue<string>();

        Assert.Equal($"0.0.0.0:{portNumber}", address);
        Assert.Equal("/healthz", rendered.Container["livenessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal("/readyz", rendered.Container["readinessProbe"]!["httpGet"]!["path"]!.GetValue<string>());
        Assert.Equal(portName, rendered.Container["livenessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
        Assert.Equal(portName, rendered.Container["readinessProbe"]!["httpGet"]!["port"]!.GetValue<string>());
        var service = rendered.Build.Single("Service");
        Assert.Equal(portName, Assert.Single(service["spec"]!["ports"]!.AsArray())!["targetPort"]!.GetValue<string>());
        var podLabels = rendered.Deployment["spec"]!["template"]!["metadata"]!["labels"]!.AsObject();
        Assert.All(service["spec"]!["selector"]!.AsObject(), pair => Assert.Equal(pair.Value!.GetValue<string>(), podLabels[pair.Key]?.GetValue<string>()));
        Assert.True(JsonNode.DeepEquals(rendered.Deployment["spec"]!["selector"]!["matchLabels"], service["spec"]!["selector"]));
    }

    [Fact]
    public void TheContainerHasRequestsAndLimits()
    {
        var resources = rendered.Container["resources"]!;

        Assert.All(new[] { "requests", "limits" }, kind =>
            Assert.All(new[] { "cpu", "memory" }, resource => Assert.NotNull(resources[kind]?[resource])));
    }

    [Fact]
    public void TheDockerfileAndTheDeploymentAgreeOnUserAndPort()
    {
        var dockerfile = Dockerfile.DockerfileDocument.Parse(File.ReadAllText(RepositoryRoot.Combine("Dockerfile")));
        var user = dockerfile.Final.Last("USER")!.Arguments.Split(':');
        var exposed = dockerfile.Final.All("EXPOSE").SelectMany(e => e.Operands).Select(p => p.Split('/')[0]);
        var context = rendered.Container["securityContext"]!;

        Assert.Equal(long.Parse(user[0], System.Globalization.CultureInfo.InvariantCulture), context["runAsUser"]!.GetValue<long>());
        Assert.Equal(long.Parse(user[1], System.Globalization.CultureInfo.InvariantCulture), context["runAsGroup"]!.GetValue<long>());
        Assert.Contains(rendered.Container["ports"]![0]!["containerPort"]!.GetValue<long>().ToString(System.Globalization.CultureInfo.InvariantCulture), exposed);
        // The Deployment's args replace the image's CMD, and both pass the same options.
        var cmd = dockerfile.Final.Last("CMD")!.ExecForm!;
        Assert.All(cmd.Where(a => a.StartsWith("--", StringComparison.Ordinal)), flag => Assert.Contains(flag, ContainerArgs()));
    }

    private List<string> ContainerArgs() =>
        rendered.Container["args"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
}
