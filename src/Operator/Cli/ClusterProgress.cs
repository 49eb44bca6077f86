using System.Globalization;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;

namespace PgReplica.Operator.Cli;

/// <summary>Prints a kubectl-get-like line per PostgresReplicaSet whenever what it shows changes.</summary>
public static class ClusterProgress
{
    /// <summary>The line for one cluster: name, wanted and ready standbys, primary, max lag, phase.</summary>
    public static string Line(PostgresReplicaSet c) => string.Create(CultureInfo.InvariantCulture,
        $"pgrs/{c.Metadata.Name}: replicas {c.Spec.Replicas}, ready {c.Status?.ReadyReplicas ?? 0}, primary {c.Status?.Primary?.Pod ?? "-"}, max lag {(c.Status?.MaxReplayLagBytes is { } lag ? lag + " bytes" : "-")}, phase {c.Status?.Phase ?? "-"}");

    /// <summary>Polls until cancelled; API errors are skipped (the sandbox may be stopping).</summary>
    public static async Task PrintAsync(IKubernetesClient client, TextWriter output, CancellationToken ct)
    {
        var shown = new Dictionary<string, string>(StringComparer.Ordinal);
        while (!ct.IsCancellationRequested)
        {
            try
            {
                foreach (var c in (await client.ListAsync<PostgresReplicaSet>(null, null, ct)).Items)
                {
                    var key = $"{c.Metadata.NamespaceProperty}/{c.Metadata.Name}";
                    var line = Line(c);
                    if (!shown.TryGetValue(key, out var before) || before != line)
                    {
                        shown[key] = line;
                        await output.WriteLineAsync(line);
                    }
                }

                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (Exception e) when (e is KubernetesApiException or HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1), CancellationToken.None);
            }
        }
    }
}
