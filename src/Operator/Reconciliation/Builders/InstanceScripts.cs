namespace PgReplica.Operator.Reconciliation.Builders;

/// <summary>
/// The init containers' shell scripts. They take everything from the environment (passwords through
/// secretKeyRef), so no secret is ever in a process's arguments; printf is a shell builtin. Both prepare
/// the data directory in <c>$PGDATA.partial</c> and rename it at the end, so a container killed half-way
/// leaves no directory that looks finished, and a restart starts over instead of booting a broken copy.
/// Both rewrite the operator's config files on every start, so a restarted pod picks up new settings.
/// They avoid <c>$(…)</c> command substitution because Kubernetes expands <c>$(NAME)</c> in commands.
/// </summary>
public static class InstanceScripts
{
    /// <summary>
    /// Run first by every container, on every start: with fsGroup, the kubelet gives every directory of the
    /// volume g+rwx and setgid at each mount (2770), and PostgreSQL refuses a data directory with group write
    /// ("has invalid permissions"). PostgreSQL checks the data directory only (owned by its uid, no group
    /// write, nothing for others), so its mode is set back; chmod fails for a directory of another uid, which
    /// PostgreSQL would refuse too.
    /// </summary>
    private const string DataDirectoryMode = """
        if [ -d "$PGDATA" ]; then chmod 0700 "$PGDATA"; fi
        """;

    /// <summary>The database container: the data directory's mode, then postgres in the shell's place.</summary>
    public const string RunPostgres = DataDirectoryMode + "\n" + """
        exec postgres -D "$PGDATA"
        """;

    /// <summary>Written on every start: the operator's settings and pg_hba.conf, from the environment.</summary>
    private const string WriteConfig = """
        printf '%s' "$PGREPLICA_CONF" > "$PGDATA/pgreplica.conf"
        printf '%s' "$PGREPLICA_HBA" > "$PGDATA/pg_hba.conf"
        """;

    /// <summary>
    /// Primary: on an empty volume, initdb with the superuser password from a 0600 file, include the operator's
    /// settings file, and create the replication role in single-user mode (statement on stdin, not argv).
    /// </summary>
    public const string InitPrimary = "set -eu\n" + DataDirectoryMode + "\n" + """
        if [ ! -s "$PGDATA/PG_VERSION" ]; then
          rm -rf "$PGDATA.partial"
          umask 077
          pwfile="$PGDATA.pwfile"
          printf '%s\n' "$POSTGRES_PASSWORD" > "$pwfile"
          initdb -D "$PGDATA.partial" -U postgres --pwfile="$pwfile" --auth-local=trust --auth-host=scram-sha-256 --encoding=UTF8
          rm -f "$pwfile"
          echo "include_if_exists = 'pgreplica.conf'" >> "$PGDATA.partial/postgresql.conf"
          { printf '%s' "$REPLICATION_PASSWORD" \
              | sed "s/'/''/g; s/^/CREATE ROLE $REPLICATION_USER WITH LOGIN REPLICATION PASSWORD '/; s/\$/';/"; echo; } \
            | postgres --single -D "$PGDATA.partial" postgres > /dev/null
          mv "$PGDATA.partial" "$PGDATA"
        fi
        """ + "\n" + WriteConfig;

    /// <summary>
    /// Standby: on an empty volume, clone the primary through the -rw Service and its own slot.
    /// -R writes standby.signal, primary_slot_name and a primary_conninfo copied from -d, which carries
    /// application_name so the primary can tell standbys apart. PGPASSWORD comes from the Secret.
    /// </summary>
    public const string InitStandby = "set -eu\n" + DataDirectoryMode + "\n" + """
        if [ ! -s "$PGDATA/PG_VERSION" ]; then
          rm -rf "$PGDATA.partial"
          pg_basebackup -d "host=$PRIMARY_HOST port=$PGPORT user=$REPLICATION_USER application_name=$POD_NAME" \
            -D "$PGDATA.partial" -X stream -S "$SLOT_NAME" -R -c fast
          mv "$PGDATA.partial" "$PGDATA"
        fi
        """ + "\n" + WriteConfig;
}
