namespace PgReplica.Operator.Reconciliation;

/// <summary>What a reconcile step tells the pass: go on, or end the pass and run again after a delay (waiting is not an error).</summary>
public readonly record struct StepResult(TimeSpan? WaitFor)
{
    /// <summary>The step is done; the pass goes on.</summary>
    public static StepResult Continue { get; } = new((TimeSpan?)null);

    /// <summary>True when the pass must end here.</summary>
    public bool MustWait => WaitFor is not null;

    /// <summary>End the pass; run again after <paramref name="delay"/>.</summary>
    public static StepResult Wait(TimeSpan delay) => new(delay);
}
