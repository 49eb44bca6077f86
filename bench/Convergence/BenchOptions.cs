namespace PgReplica.Bench.Convergence;

/// <summary>What one benchmark run was asked to do.</summary>
public sealed record BenchOptions
{
    /// <summary>Timed standby additions per side.</summary>
    public int Rounds { get; init; } = 3;

    /// <summary>Untimed rounds on both sides before the timed ones (the operator's first round was the slowest in every 1 GB run).</summary>
    public int WarmUpRounds { get; init; } = 1;

    /// <summary>Standbys before each timed addition (N; each round adds the N+1th).</summary>
    public int Standbys { get; init; } = 1;

    /// <summary>Rows of about 100 bytes loaded into each primary before timing, so both sides copy the same data.</summary>
    public long Rows { get; init; }

    /// <summary>Keep the directories (data, logs) instead of deleting them at the end.</summary>
    public bool Keep { get; init; }

    /// <summary>Log the operator and sandbox at Information instead of Warning.</summary>
    public bool Verbose { get; init; }

    /// <summary>How often both sides look for the new standby; the same on both so neither gains resolution.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The operator's ObserveInterval: how often it reads pg_stat_replication while nothing else changes.</summary>
    public TimeSpan ObserveInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Bound on any single wait; generous because the machine may be loaded.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(10);
}
