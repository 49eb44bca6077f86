namespace PgReplica.Operator.Tests.Reconciliation.Fakes;

/// <summary>Simulates the operator dying: the Nth mutating call (API or SQL) takes effect, then the caller sees an exception.</summary>
public sealed class CrashSwitch
{
    public int Mutations { get; private set; }
    public int? CrashAt { get; set; }

    public sealed class Crashed() : Exception("simulated operator crash");

    /// <summary>Counts a mutation that has just happened; throws when it is the one to crash after.</summary>
    public void AfterMutation()
    {
        Mutations++;
        if (CrashAt == Mutations)
        {
            CrashAt = null;
            throw new Crashed();
        }
    }
}
