using PgReplica.Operator.Tests.Manifests.Rbac.Sample;

namespace PgReplica.Operator.Tests.Manifests.Rbac;

/// <summary>The IL scan finds client calls in every shape the operator writes them, and only reachable ones.</summary>
public sealed class ClientCallScanTests
{
    [Fact]
    public void TheScanFindsInferredGenericLambdaAndStateMachineCallsFromTheRootOnly()
    {
        var root = typeof(SampleReconciler).FullName!;
        using var scan = new ClientCallScan([typeof(ClientCallScanTests).Assembly.Location],
            new HashSet<string> { typeof(ISampleClient).FullName! }, _ => false);

        var calls = scan.Scan(type => type == root || type.StartsWith(root + "/", StringComparison.Ordinal))
            .Select(call => $"{call.Method} {call.Entity}").Order().ToList();

        Assert.Equal(
        [
            "CreateAsync k8s.Models.V1Pod",
            "DeleteAsync k8s.Models.V1PersistentVolumeClaim",
            "ReplaceAsync k8s.Models.V1Service",
            "WatchAsync k8s.Models.V1Secret",
        ], calls);
    }

    [Fact]
    public void ExcludedTypesAreNotEntered()
    {
        var root = typeof(SampleReconciler).FullName!;
        var watcher = typeof(SampleWatcher<>).FullName!;
        using var scan = new ClientCallScan([typeof(ClientCallScanTests).Assembly.Location],
            new HashSet<string> { typeof(ISampleClient).FullName! }, type => type.StartsWith(watcher, StringComparison.Ordinal));

        var calls = scan.Scan(type => type.StartsWith(root, StringComparison.Ordinal));

        Assert.DoesNotContain(calls, call => call.Method == "WatchAsync");
        Assert.Contains(calls, call => call.Method == "CreateAsync");
    }

    [Theory]
    [InlineData("PgReplica.Kube.Runtime.LeaderElector", "coordination.k8s.io leases create,coordination.k8s.io leases get,coordination.k8s.io leases update")]
    [InlineData("PgReplica.Kube.Runtime.EventRecorder", "core events create,core events patch")]
    public void TheRuntimesComponentsNeedWhatTheyAreFor(string component, string expected)
    {
        using var scan = new ClientCallScan([Path.Combine(AppContext.BaseDirectory, "Kube.dll")], ClientPermissions.ClientTypes, _ => false);

        var permissions = scan.Scan(type => type == component || type.StartsWith(component + "/", StringComparison.Ordinal))
            .Select(ClientPermissions.For).Select(p => p.ToString()).Distinct().Order();

        Assert.Equal(expected, string.Join(',', permissions));
    }
}
