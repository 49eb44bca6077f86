using System.Globalization;
using System.Text;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Operator.Status;

/// <summary>The per-standby table `pgreplica status NAME` prints: what a DBA reads first.</summary>
public static class StatusTable
{
    /// <summary>A summary line, the primary, then one aligned row per standby.</summary>
    public static string Render(PostgresReplicaSet cluster)
    {
        var status = cluster.Status;
        var text = new StringBuilder();
        var name = $"{cluster.Metadata.NamespaceProperty}/{cluster.Metadata.Name}";
        if (status is null)
        {
            return $"{name}: no status yet (is the operator running?)\n";
        }

        text.Append(CultureInfo.InvariantCulture, $"{name}: {status.Phase ?? "Unknown"}, {status.ReadyReplicas}/{cluster.Spec.Replicas} standbys streaming");
        if (status.ObservedGeneration != cluster.Metadata.Generation) text.Append(" (status is for an older spec)");
        text.Append('\n');
        if (status.Primary is { } primary)
        {
            text.Append(CultureInfo.InvariantCulture, $"primary {primary.Pod}: current LSN {primary.CurrentLsn ?? "-"}, timeline {primary.Timeline?.ToString(CultureInfo.InvariantCulture) ?? "-"}\n");
        }

        var rows = new List<string[]> { new[] { "STANDBY", "SLOT", "STATE", "SYNC", "REPLAY LSN", "LAG BYTES", "LAG SECONDS", "SLOT WAL", "SLOT ACTIVE" } };
        foreach (var s in status.Standbys ?? [])
        {
            rows.Add([
                s.Name, s.Slot ?? "-", s.State ?? "-", s.SyncState ?? "-", s.ReplayLsn ?? "-",
                s.ReplayLagBytes?.ToString(CultureInfo.InvariantCulture) ?? "-",
                s.ReplayLagSeconds?.ToString("0.###", CultureInfo.InvariantCulture) ?? "-",
                s.SlotRetainedWalBytes is { } b ? Bytes(b) : "-",
                s.SlotActive is { } a ? (a ? "yes" : "no") : "-",
            ]);
        }

        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        foreach (var row in rows)
        {
            text.Append(string.Join("  ", row.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd()).Append('\n');
        }

        foreach (var c in status.Conditions ?? [])
        {
            if (c.Type is "Degraded" or StatusBuilder.SpecInvalid && c.Status == "True") text.Append(CultureInfo.InvariantCulture, $"{c.Type}: {c.Reason}: {c.Message}\n");
        }

        return text.ToString();
    }

    private static string Bytes(long bytes) => bytes switch
    {
        >= 1L << 30 => (bytes / (double)(1L << 30)).ToString("0.0", CultureInfo.InvariantCulture) + " GiB",
        >= 1L << 20 => (bytes / (double)(1L << 20)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB",
        >= 1L << 10 => (bytes / (double)(1L << 10)).ToString("0.0", CultureInfo.InvariantCulture) + " KiB",
        _ => bytes.ToString(CultureInfo.InvariantCulture) + " B",
    };
}
