using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>The project's own CRD and sample through the real kubectl.</summary>
public sealed class PgReplicaCrdTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public static string RepoFile(string relative)
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Operator.sln")))
        {
            dir = dir.Parent;
        }

        return Path.Combine(dir?.FullName ?? throw new InvalidOperationException("repository root not found"), relative);
    }

    public async Task InitializeAsync() => _s = await TestSandbox.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task TheSampleAppliesAndPrintsItsColumns()
    {
        Assert.Contains("created", await _s.KubectlOkAsync("apply", "-f", RepoFile("config/crds/pgreplica.io_postgresreplicasets.yaml")));
        Assert.Contains("postgresreplicaset.pgreplica.io/orders created",
            await _s.KubectlOkAsync("apply", "-f", RepoFile("config/samples/pgreplica_v1alpha1_postgresreplicaset.yaml")));

        var table = await _s.KubectlOkAsync("get", "pgrs");
        Assert.Matches(@"^NAME\s+REPLICAS\s+READY\s+PRIMARY\s+MAX LAG \(BYTES\)\s+PHASE", table.Split('\n')[0]);
        Assert.Matches(@"orders\s+2\s", table);

        Assert.Contains("scaled", await _s.KubectlOkAsync("scale", "pgrs", "orders", "--replicas=3"));
        var obj = JsonNode.Parse(await _s.KubectlOkAsync("get", "pgrs", "orders", "-o", "json"))!;
        Assert.Equal(3, obj["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task SchemaViolationsArePrintedAsKubectlShowsInvalidErrors()
    {
        await _s.KubectlOkAsync("apply", "-f", RepoFile("config/crds/pgreplica.io_postgresreplicasets.yaml"));
        var file = Path.Combine(_s.Directory, "bad.yaml");
        File.WriteAllText(file, """
            apiVersion: pgreplica.io/v1alpha1
            kind: PostgresReplicaSet
            metadata: {name: bad}
            spec: {replicas: -1, image: postgres:17, storage: {size: 1Gi}}
            """);
        var (exit, _, stderr) = await _s.KubectlAsync(["apply", "-f", file]);
        Assert.NotEqual(0, exit);
        Assert.Contains("The PostgresReplicaSet \"bad\" is invalid", stderr);
        Assert.Contains("spec.replicas", stderr);

        File.WriteAllText(file, """
            apiVersion: pgreplica.io/v1alpha1
            kind: PostgresReplicaSet
            metadata: {name: bad}
            spec: {replicas: 1, image: postgres:17, storage: {size: 1Gi}, bogus: true}
            """);
        (exit, _, stderr) = await _s.KubectlAsync(["apply", "-f", file]);
        Assert.NotEqual(0, exit);
        Assert.Contains("spec.bogus", stderr);
    }
}
