using System.Globalization;

namespace PgReplica.Entities.Naming;

/// <summary>Replication slot names: PostgreSQL allows only lower-case letters, digits and '_', at most 63 bytes.</summary>
public static class SlotNames
{
    /// <summary>Longest slot name PostgreSQL accepts (NAMEDATALEN - 1).</summary>
    public const int MaxLength = 63;

    /// <summary>The slot of instance ordinal in cluster: lower case, '-' mapped to '_', validated.</summary>
    public static string For(string cluster, int ordinal)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ordinal, 1);
        var slot = cluster.ToLowerInvariant().Replace('-', '_') + "_" + ordinal.ToString(CultureInfo.InvariantCulture);
        return IsValid(slot) ? slot : throw new ArgumentException($"\"{slot}\" is not a valid replication slot name", nameof(cluster));
    }

    /// <summary>True for a name pg_create_physical_replication_slot accepts (and that is safe to interpolate).</summary>
    public static bool IsValid(string slot) =>
        slot.Length is > 0 and <= MaxLength && slot.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_');
}
