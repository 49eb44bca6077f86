namespace PgReplica.Bench.Convergence;

/// <summary>One phase of a round: its name and how long it took, in seconds.</summary>
public sealed record Phase(string Name, double Seconds);

/// <summary>One timed standby addition: total seconds and the phases it consists of, in order.</summary>
public sealed record RoundResult(double TotalSeconds, IReadOnlyList<Phase> Phases);
