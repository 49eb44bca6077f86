namespace PgReplica.Entities.Naming;

/// <summary>Checks the names users choose, before anything is derived from them.</summary>
public static class ResourceNames
{
    /// <summary>
    /// Longest cluster name: <c>&lt;name&gt;-replication</c> and <c>&lt;name&gt;-&lt;n&gt;</c> Services must stay
    /// DNS labels (≤ 63) and <c>&lt;name&gt;_&lt;n&gt;</c> slots must stay within PostgreSQL's 63-byte identifiers.
    /// </summary>
    public const int MaxClusterNameLength = 50;

    /// <summary>Longest DNS label (Service and pod host names).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Why name cannot name a cluster, or null when it can.</summary>
    public static string? ClusterNameError(string? name)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "a name is required";
        }

        if (name.Length > MaxClusterNameLength)
        {
            return $"must be no more than {MaxClusterNameLength} characters (got {name.Length})";
        }

        return IsDns1035Label(name)
            ? null
            : "must consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
              + "and end with an alphanumeric character (e.g. 'orders', regex '[a-z]([-a-z0-9]*[a-z0-9])?')";
    }

    /// <summary>True for a DNS-1035 label: a-z first, then a-z, 0-9 or '-', not ending in '-', at most 63.</summary>
    public static bool IsDns1035Label(string name) =>
        name.Length is > 0 and <= MaxLabelLength
        && name[0] is >= 'a' and <= 'z'
        && name[^1] != '-'
        && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-');
}
