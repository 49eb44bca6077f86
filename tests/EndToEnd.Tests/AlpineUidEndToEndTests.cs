using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;
using PgReplica.Operator.Reconciliation;
using PgReplica.Operator.Reconciliation.Builders;

namespace PgReplica.EndToEnd.Tests;

/// <summary>
/// The operator's primary pod with an alpine image, whose uid the builder derives from the image (70, as
/// spec.postgresUid absent means): the pod scripts do not depend on uid 999.
/// </summary>
[Collection(SandboxCollection.Name)]
public sealed class AlpineUidEndToEndTests(SandboxFixture sandbox)
{
    private const string Ns = "alpine-uid";

    [Fact]
    public async Task The_operators_primary_pod_runs_as_uid_70_on_an_alpine_image_and_comes_back_after_re_creation()
    {
        await sandbox.Kubectl.RunAsync("create", "namespace", Ns);
        // No PostgresReplicaSet "echo" exists, so the operator leaves these objects alone.
        var cluster = new PostgresReplicaSet
        {
            Metadata = new() { Name = "echo", NamespaceProperty = Ns, Uid = "not-a-real-cluster" },
            Spec = new PostgresReplicaSetSpec { Replicas = 0, Image = "postgres:15-alpine" },
        };
        var secret = SecretBuilder.Build(cluster);
        secret.Metadata.OwnerReferences = null;
        await sandbox.Client.CreateAsync(secret);
        await sandbox.Kubectl.ApplyAsync($"""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata:
              name: echo-1-data
              namespace: {Ns}
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: 256Mi
            """);

        for (var run = 0; run < 2; run++)
        {
            var pod = InstancePodBuilder.Primary(cluster, 1, PostgresParameters.Merge(null, null));
            pod.Metadata.OwnerReferences = null;
            Assert.Equal(70, pod.Spec!.SecurityContext!.RunAsUser);
            // Always: the second pod's mount walks the volume again and gives PGDATA 2770.
            pod.Spec.SecurityContext.FsGroupChangePolicy = null;
            await sandbox.Client.CreateAsync(pod);
            await sandbox.Kubectl.RunAsync("wait", "pod/echo-1", "-n", Ns, "--for=condition=Ready", "--timeout=120s");

            // initdb and postgres ran (both stop when their uid has no passwd entry); the server runs as uid 70 and its
            // data directory, which the second pod's mount gave 2770, is back to 0700.
            await using (var db = await sandbox.ConnectAsync(Ns, "echo", "echo-1"))
            {
                await using var query = db.CreateCommand("SELECT pg_backend_pid()::text || ' ' || current_setting('data_directory_mode')");
                var answer = ((string)(await query.ExecuteScalarAsync())!).Split(' ');
                Assert.Equal("0700", answer[1]);
                Assert.Contains(File.ReadLines($"/proc/{answer[0]}/status"), l => l.StartsWith("Uid:\t70\t", StringComparison.Ordinal));
            }

            var pgdata = Path.Combine(sandbox.Root, "node", "volumes", Ns, "echo-1-data", "pgdata");
            // On the host the data belongs to the numeric uid and fsGroup.
            Assert.Equal("70 70", await StatAsync(pgdata));
            await sandbox.Kubectl.RunAsync("delete", "pod", "echo-1", "-n", Ns, "--wait=true");
        }

        await sandbox.Kubectl.RunAsync("delete", "namespace", Ns, "--wait=false");
    }

    private static async Task<string> StatAsync(string path)
    {
        using var p = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("stat", ["-c", "%u %g", path]) { RedirectStandardOutput = true })!;
        var owner = await p.StandardOutput.ReadToEndAsync();
        await p.WaitForExitAsync();
        return owner.Trim();
    }
}
