namespace PgReplica.Kube.Runtime;

/// <summary>Exponential back-off: initial, doubled per failure, capped; pure arithmetic.</summary>
public sealed class Backoff(TimeSpan initial, TimeSpan max)
{
    private int failures;

    /// <summary>The delay for failure number <paramref name="failures"/> (1-based).</summary>
    public static TimeSpan For(int failures, TimeSpan initial, TimeSpan max)
    {
        if (failures <= 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(failures - 1, 40);
        var ticks = initial.Ticks * Math.Pow(2, exponent);
        return ticks >= max.Ticks ? max : TimeSpan.FromTicks((long)ticks);
    }

    /// <summary>The next delay; each call doubles it up to the cap.</summary>
    public TimeSpan Next() => For(++failures, initial, max);

    /// <summary>Back to the initial delay after a success.</summary>
    public void Reset() => failures = 0;
}
