using System.Text.RegularExpressions;

namespace PgReplica.Operator.Postgres;

/// <summary>Checks physical replication slot names: PostgreSQL allows only <c>[a-z0-9_]</c>, at most 63 bytes.</summary>
public static partial class ReplicationSlotName
{
    [GeneratedRegex(@"^[a-z0-9_]{1,63}\z", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();

    /// <summary>True when PostgreSQL would accept the name as a replication slot.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Returns the name unchanged, or throws when it is not a valid slot name.</summary>
    public static string Require(string? name) =>
        IsValid(name) ? name! : throw new ArgumentException($"invalid replication slot name '{name}': must match ^[a-z0-9_]{{1,63}}$", nameof(name));
}
