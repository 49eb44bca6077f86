using PgReplica.Operator.Tests.Manifests.Kustomize;

namespace PgReplica.Operator.Tests.Manifests.Rbac;

/// <summary>config/rbac grants exactly what the operator's code calls: nothing missing, nothing extra, no wildcard.</summary>
public sealed class RbacTests(RenderedDefault rendered) : IClassFixture<RenderedDefault>
{
    private const string Leases = "leases";

    [Fact]
    public void TheRolesGrantExactlyWhatTheOperatorCalls()
    {
        var calls = OperatorPermissions.Calls();
        var needed = calls.Select(ClientPermissions.For).Concat(OperatorPermissions.Implicit.Keys).ToHashSet();
        var granted = GrantedPermissions.Of(rendered.Build.Single("ClusterRole"))
            .Concat(GrantedPermissions.Of(rendered.Build.Single("Role"))).ToHashSet();

        var missing = needed.Except(granted).Select(p =>
            $"  {p} (needed by {string.Join(", ", calls.Where(c => ClientPermissions.For(c) == p).Select(c => c.Caller).Distinct().Take(3))})");
        var extra = granted.Except(needed).Select(p => $"  {p}");
        Assert.True(needed.SetEquals(granted),
            $"config/rbac and the operator's calls differ.\nMissing from config/rbac:\n{string.Join('\n', missing)}\nGranted but never called:\n{string.Join('\n', extra)}");
    }

    [Fact]
    public void LeasesAreGrantedOnlyInTheOperatorsNamespace()
    {
        var role = rendered.Build.Single("Role");

        Assert.Equal(RenderedDefault.OperatorNamespace, KustomizeBuild.Namespace(role));
        Assert.Contains(GrantedPermissions.Of(role), p => p.Resource == Leases);
        Assert.All(GrantedPermissions.Of(role), p => Assert.Equal(Leases, p.Resource));
        Assert.DoesNotContain(GrantedPermissions.Of(rendered.Build.Single("ClusterRole")), p => p.Resource == Leases);
    }

    [Fact]
    public void NoRuleUsesAWildcard()
    {
        Assert.Empty(GrantedPermissions.Wildcards(rendered.Build.Single("ClusterRole")));
        Assert.Empty(GrantedPermissions.Wildcards(rendered.Build.Single("Role")));
    }

    [Fact]
    public void TheVerbTableCoversEveryClientMethod()
    {
        var client = typeof(PgReplica.Kube.Client.IKubernetesClient).Assembly.GetType("PgReplica.Kube.Client.IKubernetesClient");
        Assert.NotNull(client);
        var methods = client!.GetMethods().Where(m => m.IsGenericMethodDefinition).Select(m => m.Name).ToHashSet();

        Assert.Subset(ClientPermissions.Verbs.Keys.ToHashSet(), methods);
    }
}
