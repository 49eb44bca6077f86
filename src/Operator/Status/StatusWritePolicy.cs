using System.Globalization;
using System.Text.Json;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Operator.Postgres;

namespace PgReplica.Operator.Status;

/// <summary>
/// When a freshly built status is worth an etcd write. Changes a person acts on (states, sync states, conditions,
/// phase, counts, primary) are written at once. LSN and lag figures are never rounded or faked: they are only
/// refreshed less often — at most every <c>lagInterval</c>, and only when they moved by at least 1 MiB of lag, 1 s
/// of lag, or a WAL segment of LSN — and <c>replicationObservedAt</c> says when they were read.
/// </summary>
public static class StatusWritePolicy
{
    /// <summary>Lag in bytes that counts as a move.</summary>
    public const long LagBytesStep = 1024 * 1024;

    /// <summary>Lag in seconds that counts as a move.</summary>
    public const double LagSecondsStep = 1.0;

    /// <summary>LSN distance that counts as a move: one default WAL segment.</summary>
    public const ulong LsnStep = 16 * 1024 * 1024;

    /// <summary>The status to write, or null when <paramref name="previous"/> should stay as it is.</summary>
    public static PostgresReplicaSetStatus? Decide(PostgresReplicaSetStatus? previous, PostgresReplicaSetStatus built, DateTimeOffset now, TimeSpan lagInterval)
    {
        var stamped = Clone(built);
        stamped.ReplicationObservedAt = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
        if (previous is null || Shape(previous) != Shape(built))
        {
            return stamped;
        }

        var due = previous.ReplicationObservedAt is not { } at
            || !DateTimeOffset.TryParse(at, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var observed)
            || now - observed >= lagInterval;
        return due && FiguresMoved(previous, built) ? stamped : null;
    }

    /// <summary>True when some figure moved by a step or more (or appeared or disappeared).</summary>
    public static bool FiguresMoved(PostgresReplicaSetStatus a, PostgresReplicaSetStatus b)
    {
        if (Lsn(a.Primary?.CurrentLsn, b.Primary?.CurrentLsn) || Bytes(a.MaxReplayLagBytes, b.MaxReplayLagBytes)) return true;
        foreach (var after in b.Standbys ?? [])
        {
            var before = a.Standbys?.FirstOrDefault(s => s.Name == after.Name);
            if (before is null) return true;
            if (Lsn(before.SentLsn, after.SentLsn) || Lsn(before.WriteLsn, after.WriteLsn) || Lsn(before.FlushLsn, after.FlushLsn)
                || Lsn(before.ReplayLsn, after.ReplayLsn) || Bytes(before.ReplayLagBytes, after.ReplayLagBytes)
                || Bytes(before.SlotRetainedWalBytes, after.SlotRetainedWalBytes) || Seconds(before.ReplayLagSeconds, after.ReplayLagSeconds)
                || Seconds(before.WriteLagSeconds, after.WriteLagSeconds) || Seconds(before.FlushLagSeconds, after.FlushLagSeconds))
            {
                return true;
            }
        }

        return false;
    }

    // The status without its figures: what must be written at once when it differs.
    private static string Shape(PostgresReplicaSetStatus status)
    {
        var s = Clone(status);
        s.ReplicationObservedAt = null;
        s.MaxReplayLagBytes = null;
        if (s.Primary is { } p) p.CurrentLsn = null;
        foreach (var standby in s.Standbys ?? [])
        {
            standby.SentLsn = standby.WriteLsn = standby.FlushLsn = standby.ReplayLsn = null;
            standby.ReplayLagBytes = standby.SlotRetainedWalBytes = null;
            standby.ReplayLagSeconds = standby.WriteLagSeconds = standby.FlushLagSeconds = null;
        }

        return JsonSerializer.Serialize(s);
    }

    private static PostgresReplicaSetStatus Clone(PostgresReplicaSetStatus status) =>
        JsonSerializer.Deserialize<PostgresReplicaSetStatus>(JsonSerializer.Serialize(status))!;

    private static bool Bytes(long? a, long? b) => a.HasValue != b.HasValue || (a.HasValue && Math.Abs(a.Value - b!.Value) >= LagBytesStep);

    private static bool Seconds(double? a, double? b) => a.HasValue != b.HasValue || (a.HasValue && Math.Abs(a.Value - b!.Value) >= LagSecondsStep);

    private static bool Lsn(string? a, string? b)
    {
        if (a is null || b is null) return (a is null) != (b is null);
        var (x, y) = (Postgres.Lsn.Parse(a).Value, Postgres.Lsn.Parse(b).Value);
        return (x > y ? x - y : y - x) >= LsnStep;
    }
}
