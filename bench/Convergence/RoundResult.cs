namespace PgReplica.Bench.Convergence;

/// <summary>One phase of a round: its name and how long it took, in seconds.</summary>
public sealed record Phase(string Name, double Seconds);

/// <summary>One timed standby addition: total seconds, the phases it consists of in order, and the parts of the provisioning phase (operator side only).</summary>
public sealed record RoundResult(double TotalSeconds, IReadOnlyList<Phase> Phases, IReadOnlyList<Phase>? Provisioning = null);
