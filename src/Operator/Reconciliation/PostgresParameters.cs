using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PgReplica.Operator.Reconciliation;

/// <summary>A user parameter the operator refused, with why (reported as a condition and an Event).</summary>
public sealed record RejectedParameter(string Name, string Reason);

/// <summary>The merged postgresql.conf settings of an instance, and the user settings that were refused.</summary>
public sealed partial record PostgresParameters(IReadOnlyDictionary<string, string> Settings, IReadOnlyList<RejectedParameter> Rejected)
{
    /// <summary>Standbys the operator sizes walsenders and slots for (with headroom for base backups).</summary>
    public const int MaxStandbys = 32;

    /// <summary>Where PostgreSQL listens in every instance.</summary>
    public const int Port = 5432;

    /// <summary>Used when spec.replication.maxSlotWalKeepSize is absent or unusable.</summary>
    public const string DefaultMaxSlotWalKeepSize = "4GB";

    // Replication, addressing and file layout belong to the operator: a user value would break
    // streaming or point PostgreSQL at the wrong files.
    private static readonly HashSet<string> OperatorOwned = new(StringComparer.Ordinal)
    {
        "wal_level", "max_wal_senders", "max_replication_slots", "hot_standby", "max_slot_wal_keep_size",
        "listen_addresses", "port", "primary_conninfo", "primary_slot_name", "restore_command",
        "recovery_target_timeline", "data_directory", "config_file", "hba_file", "ident_file",
        "external_pid_file", "unix_socket_directories", "include", "include_dir", "include_if_exists",
        "synchronous_standby_names", "promote_trigger_file",
    };

    /// <summary>Defaults a user may override.</summary>
    public static readonly IReadOnlyDictionary<string, string> Defaults = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["password_encryption"] = "scram-sha-256",
        ["hot_standby_feedback"] = "on",
        ["wal_log_hints"] = "on",
        ["max_connections"] = "100",
        ["shared_buffers"] = "128MB",
        ["log_line_prefix"] = "%m [%p] %q%u@%d ",
    };

    [GeneratedRegexAttribute("^[a-z_][a-z0-9_]*(\\.[a-z_][a-z0-9_]*)?\\z", RegexOptions.CultureInvariant)]
    private static partial Regex NamePattern();

    [GeneratedRegexAttribute("^[0-9]+(kB|MB|GB|TB)?\\z|^-1\\z", RegexOptions.CultureInvariant)]
    private static partial Regex SizePattern();

    /// <summary>Merges user parameters over the defaults, then sets the operator's own settings over both.</summary>
    public static PostgresParameters Merge(IReadOnlyDictionary<string, string>? user, string? maxSlotWalKeepSize)
    {
        var settings = new Dictionary<string, string>(Defaults, StringComparer.Ordinal);
        var rejected = new List<RejectedParameter>();
        foreach (var (rawName, value) in (user ?? new Dictionary<string, string>()).OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            var name = rawName.ToLowerInvariant();
            if (!NamePattern().IsMatch(name))
                rejected.Add(new RejectedParameter(rawName, "not a PostgreSQL parameter name"));
            else if (OperatorOwned.Contains(name))
                rejected.Add(new RejectedParameter(rawName, "set by the operator"));
            else if (value.Any(char.IsControl))
                rejected.Add(new RejectedParameter(rawName, "value contains control characters"));
            else
                settings[name] = value;
        }

        var keep = maxSlotWalKeepSize ?? DefaultMaxSlotWalKeepSize;
        if (!SizePattern().IsMatch(keep))
        {
            rejected.Add(new RejectedParameter("maxSlotWalKeepSize", $"'{keep}' is not a PostgreSQL size such as 4GB"));
            keep = DefaultMaxSlotWalKeepSize;
        }

        settings["wal_level"] = "replica";
        settings["hot_standby"] = "on";
        settings["max_wal_senders"] = (MaxStandbys + 8).ToString(CultureInfo.InvariantCulture);
        settings["max_replication_slots"] = (MaxStandbys + 8).ToString(CultureInfo.InvariantCulture);
        settings["max_slot_wal_keep_size"] = keep;
        settings["listen_addresses"] = "*";
        settings["port"] = Port.ToString(CultureInfo.InvariantCulture);
        return new PostgresParameters(settings, rejected);
    }

    /// <summary>postgresql.conf text: one <c>name = 'value'</c> per line, sorted, values quoted and escaped.</summary>
    public string ToConfigFile()
    {
        var text = new StringBuilder("# Written by pgreplica; edits are overwritten.\n");
        foreach (var (name, value) in Settings.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            text.Append(name).Append(" = '").Append(value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("'", "''", StringComparison.Ordinal)).Append("'\n");
        }

        return text.ToString();
    }
}
