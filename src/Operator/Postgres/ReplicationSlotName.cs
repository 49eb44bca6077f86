using PgReplica.Entities.Naming;

namespace PgReplica.Operator.Postgres;

/// <summary>Guards SQL on slots: PostgreSQL allows only <c>[a-z0-9_]</c>, at most 63 bytes (the rule <see cref="SlotNames"/> keeps).</summary>
public static class ReplicationSlotName
{
    /// <summary>True when PostgreSQL would accept the name as a replication slot.</summary>
    public static bool IsValid(string? name) => name is not null && SlotNames.IsValid(name);

    /// <summary>Returns the name unchanged, or throws when it is not a valid slot name.</summary>
    public static string Require(string? name) =>
        IsValid(name) ? name! : throw new ArgumentException($"invalid replication slot name '{name}': must match ^[a-z0-9_]{{1,63}}$", nameof(name));
}
