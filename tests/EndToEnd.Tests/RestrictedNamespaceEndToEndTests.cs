using PgReplica.Entities.V1Alpha1;

namespace PgReplica.EndToEnd.Tests;

/// <summary>The lab in a namespace that enforces (and audits and warns on) Pod Security "restricted".</summary>
[Collection(SandboxCollection.Name)]
public sealed class RestrictedNamespaceEndToEndTests(SandboxFixture sandbox)
{
    private const string Ns = "restricted-lab";
    private const string Name = "golf";

    [Fact]
    public async Task The_lab_runs_replicates_and_scales_in_a_namespace_enforcing_restricted_without_a_violation()
    {
        await sandbox.Kubectl.ApplyAsync($"""
            apiVersion: v1
            kind: Namespace
            metadata:
              name: {Ns}
              labels:
                pod-security.kubernetes.io/enforce: restricted
                pod-security.kubernetes.io/enforce-version: latest
                pod-security.kubernetes.io/audit: restricted
                pod-security.kubernetes.io/warn: restricted
            """);
        await sandbox.Kubectl.ApplyAsync(SandboxFixture.ClusterYaml(Ns, Name, 2));
        await WaitReadyAsync(2);

        await using (var primary = await sandbox.ConnectAsync(Ns, Name, "golf-1"))
        {
            await using var c = primary.CreateCommand("CREATE TABLE lab AS SELECT g FROM generate_series(1, 100) g");
            await c.ExecuteNonQueryAsync();
        }

        foreach (var standby in new[] { "golf-2", "golf-3" })
        {
            await RowsAsync(standby);
        }

        await sandbox.Kubectl.RunAsync("scale", "postgresreplicaset", Name, "-n", Ns, "--replicas=3");
        await WaitReadyAsync(3);
        await RowsAsync("golf-4");
        await sandbox.Kubectl.RunAsync("scale", "postgresreplicaset", Name, "-n", Ns, "--replicas=2");
        await WaitReadyAsync(2);
        await SandboxFixture.EventuallyAsync(() => sandbox.PodsAsync(Ns, Name), p => p.Count == 3, p => string.Join(",", p.Select(x => x.Metadata.Name)));

        // Nothing was refused, audited or warned about in this namespace, and no event names Pod Security.
        var audit = Path.Combine(sandbox.Root, "sandbox", "audit.log");
        var audited = File.Exists(audit) ? File.ReadLines(audit).Where(l => l.Contains($"\"namespace\":\"{Ns}\"", StringComparison.Ordinal)).ToList() : [];
        Assert.Empty(audited);
        var events = await sandbox.Kubectl.RunAsync("get", "events", "-n", Ns, "-o", "jsonpath={range .items[*]}{.reason}: {.message}{\"\\n\"}{end}");
        Assert.DoesNotContain("PodSecurity", events, StringComparison.Ordinal);
        Assert.DoesNotContain("forbidden", events, StringComparison.OrdinalIgnoreCase);

        await sandbox.Kubectl.RunAsync("delete", "postgresreplicaset", Name, "-n", Ns, "--wait=true", "--timeout=120s");
        await SandboxFixture.EventuallyAsync(() => sandbox.PodsAsync(Ns, Name), p => p.Count == 0, p => string.Join(",", p.Select(x => x.Metadata.Name)), seconds: 120);
    }

    private async Task RowsAsync(string pod)
    {
        await using var db = await sandbox.ConnectAsync(Ns, Name, pod);
        await SandboxFixture.EventuallyAsync(
            async () =>
            {
                await using var c = db.CreateCommand("SELECT count(*) FROM lab");
                return (long)(await c.ExecuteScalarAsync())!;
            },
            n => n == 100,
            n => $"{pod}: {n} rows");
    }

    private async Task WaitReadyAsync(int standbys) =>
        await SandboxFixture.EventuallyAsync(
            () => sandbox.ClusterAsync(Ns, Name),
            c => c?.Status is { Phase: Phases.Ready } s && s.ReadyReplicas == standbys && s.ObservedGeneration == c.Metadata.Generation,
            c => $"phase {c?.Status?.Phase}, ready {c?.Status?.ReadyReplicas}, conditions {string.Join("; ", c?.Status?.Conditions?.Select(x => $"{x.Type}={x.Status} {x.Message}") ?? [])}",
            seconds: 240);
}
