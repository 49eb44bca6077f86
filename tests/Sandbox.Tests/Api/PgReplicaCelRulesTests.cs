namespace PgReplica.Sandbox.Tests.Api;

/// <summary>Every x-kubernetes-validations rule of our CRD, and the scale subresource, broken through the real kubectl.</summary>
public sealed class PgReplicaCelRulesTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync()
    {
        _s = await TestSandbox.StartAsync();
        await _s.KubectlOkAsync("apply", "-f", PgReplicaCrdTests.RepoFile("config/crds/pgreplica.io_postgresreplicasets.yaml"));
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private static string Manifest(string name = "orders", string spec = "replicas: 2") => $$"""
        apiVersion: pgreplica.io/v1alpha1
        kind: PostgresReplicaSet
        metadata: {name: {{name}}}
        spec:
          image: postgres:17
          storage: {size: 1Gi}
          {{spec.Replace("\n", "\n  ", StringComparison.Ordinal)}}
        """;

    private async Task<string> AcceptedAsync(string[] args, string? stdin = null)
    {
        var (exit, stdout, stderr) = await _s.KubectlAsync(args, stdin);
        Assert.True(exit == 0, $"kubectl {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout.Trim();
    }

    // What kubectl prints for a refused write (for an invalid object: "The Kind "name" is invalid: field: message").
    private async Task<string> RefusedAsync(string[] args, string? stdin = null)
    {
        var (exit, stdout, stderr) = await _s.KubectlAsync(args, stdin);
        Assert.True(exit != 0, $"kubectl {string.Join(' ', args)} was accepted: {stdout}");
        return stderr.Trim();
    }

    [Fact]
    public async Task EachRuleOfTheCrdRefusesWhatItForbidsWithTheApiServersMessage()
    {
        string[] apply = ["apply", "-f", "-"];
        var longName = "a" + new string('b', 50);
        Assert.Equal(
            $"The PostgresReplicaSet \"{longName}\" is invalid: <nil>: Invalid value: \"object\": metadata.name must start with a letter, contain only lower-case letters, digits and '-', and be at most 50 characters: pod, Service and replication slot names are derived from it",
            await RefusedAsync(apply, Manifest(longName)));
        Assert.Equal(
            "The PostgresReplicaSet \"orders\" is invalid: spec: Invalid value: \"object\": replication.synchronous.number must not exceed replicas: commits would wait for standbys that do not exist",
            await RefusedAsync(apply, Manifest(spec: "replicas: 1\nreplication: {synchronous: {number: 2}}")));
        Assert.Equal(
            "The PostgresReplicaSet \"orders\" is invalid: spec.postgresql.parameters: Invalid value: \"object\": replication, networking and file-location settings are set by the operator and cannot be overridden",
            await RefusedAsync(apply, Manifest(spec: "replicas: 2\npostgresql: {parameters: {wal_level: logical, work_mem: 8MB}}")));
        Assert.Equal(
            "The PostgresReplicaSet \"orders\" is invalid: spec.postgresql.parameters: Invalid value: \"object\": parameter names must be lower-case PostgreSQL setting names (letters, digits, '_', at most one '.')",
            await RefusedAsync(apply, Manifest(spec: "replicas: 2\npostgresql: {parameters: {Work-Mem: 8MB}}")));

        // The transition rule lets anything through on create, and refuses a change on update (apply's merge patch, and replace's PUT).
        Assert.Equal("postgresreplicaset.pgreplica.io/orders created", await AcceptedAsync(apply, Manifest()));
        var resized = Manifest().Replace("size: 1Gi", "size: 2Gi", StringComparison.Ordinal);
        const string Immutable = "The PostgresReplicaSet \"orders\" is invalid: spec.storage: Invalid value: \"object\": storage is immutable: existing volumes are neither resized nor moved";
        Assert.Equal(Immutable, await RefusedAsync(apply, resized));
        Assert.Equal(Immutable, await RefusedAsync(["patch", "pgrs", "orders", "--type=json", "-p", """[{"op":"replace","path":"/spec/storage/size","value":"5Gi"}]"""]));
        Assert.Equal("postgresreplicaset.pgreplica.io/orders configured",
            await AcceptedAsync(apply, Manifest(spec: "replicas: 2\npostgresql: {parameters: {work_mem: 16MB}}")));
    }

    [Fact]
    public async Task PostgresUidCannotChangeOnceSet()
    {
        string[] apply = ["apply", "-f", "-"];
        Assert.Equal("postgresreplicaset.pgreplica.io/orders created", await AcceptedAsync(apply, Manifest(spec: "replicas: 2\npostgresUid: 70")));

        Assert.Equal(
            "The PostgresReplicaSet \"orders\" is invalid: spec.postgresUid: Invalid value: \"integer\": postgresUid is immutable: the existing data directories are owned by the old uid",
            await RefusedAsync(apply, Manifest(spec: "replicas: 2\npostgresUid: 999")));
        Assert.Equal("70", await AcceptedAsync(["get", "pgrs", "orders", "-o", "jsonpath={.spec.postgresUid}"]));
    }

    [Fact]
    public async Task ScaleWritesAreValidatedLikeAnyUpdate()
    {
        await AcceptedAsync(["apply", "-f", "-"], Manifest(spec: "replicas: 2\nreplication: {synchronous: {number: 2}}"));

        Assert.Equal(
            "The PostgresReplicaSet \"orders\" is invalid: spec.replicas: Invalid value: 100: spec.replicas in body should be less than or equal to 32",
            await RefusedAsync(["scale", "pgrs/orders", "--replicas=100"]));
        Assert.Equal(
            "The PostgresReplicaSet \"orders\" is invalid: spec: Invalid value: \"object\": replication.synchronous.number must not exceed replicas: commits would wait for standbys that do not exist",
            await RefusedAsync(["scale", "pgrs/orders", "--replicas=1"]));
        Assert.Equal("2", await AcceptedAsync(["get", "pgrs", "orders", "-o", "jsonpath={.spec.replicas}"]));

        Assert.Equal("postgresreplicaset.pgreplica.io/orders scaled", await AcceptedAsync(["scale", "pgrs/orders", "--replicas=32"]));
        Assert.Equal("32", await AcceptedAsync(["get", "pgrs", "orders", "-o", "jsonpath={.spec.replicas}"]));
    }
}
