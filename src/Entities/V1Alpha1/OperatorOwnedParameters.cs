namespace PgReplica.Entities.V1Alpha1;

/// <summary>
/// PostgreSQL settings the operator writes itself (replication, networking, file locations);
/// <c>spec.postgresql.parameters</c> may not set them. The CEL rule and the C# check read the same list.
/// </summary>
public static class OperatorOwnedParameters
{
    /// <summary>The list as a CEL list literal, for the CRD rule (attribute arguments must be constants).</summary>
    public const string CelList =
        "['wal_level', 'max_wal_senders', 'max_replication_slots', 'hot_standby', 'primary_conninfo', "
        + "'primary_slot_name', 'synchronous_standby_names', 'max_slot_wal_keep_size', 'listen_addresses', "
        + "'port', 'unix_socket_directories', 'data_directory', 'config_file', 'hba_file', 'ident_file']";

    /// <summary>The reserved names, lower case.</summary>
    public static readonly IReadOnlyList<string> Names = CelList
        .Trim('[', ']')
        .Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
        .Select(quoted => quoted.Trim('\''))
        .ToArray();

    /// <summary>True when the operator owns the setting (PostgreSQL setting names are case-insensitive).</summary>
    public static bool Contains(string parameter) =>
        Names.Contains(parameter.ToLowerInvariant(), StringComparer.Ordinal);
}
