using System.Text.Json.Serialization;
using PgReplica.Entities.Crd;
using PgReplica.Entities.Serialization;

namespace PgReplica.Entities.V1Alpha1;

/// <summary>Desired state of a PostgresReplicaSet: one primary and <see cref="Replicas"/> streaming standbys.</summary>
[Description("Desired state: one PostgreSQL primary and a number of streaming-replication standbys.")]
[DefaultEmptyObject]
[Validation(
    "!has(self.replication) || !has(self.replication.synchronous) || self.replication.synchronous.number <= self.replicas",
    "replication.synchronous.number must not exceed replicas: commits would wait for standbys that do not exist")]
public sealed class PostgresReplicaSetSpec
{
    /// <summary>Default number of standbys.</summary>
    public const int DefaultReplicas = 1;

    /// <summary>Most standbys one cluster may have.</summary>
    public const int MaxReplicas = 32;

    /// <summary>Default image.</summary>
    public const string DefaultImage = "postgres:17";

    /// <summary>Number of standbys (the primary is not counted).</summary>
    [JsonPropertyName("replicas")]
    [Description("Number of standbys, not counting the primary. Each standby is a read-only copy that streams WAL "
        + "from the primary through its own replication slot. 0 runs the primary alone. Default 1: the smallest "
        + "cluster that keeps a second copy of the data. Scaling down removes the newest standby first, never the primary.")]
    [Minimum(0)]
    [Maximum(MaxReplicas)]
    [Default(DefaultReplicas)]
    [PrinterColumn("Replicas", Order = 1, Description = "Standbys wanted")]
    public int Replicas { get; set; } = DefaultReplicas;

    /// <summary>Container image with initdb, postgres and pg_basebackup on PATH.</summary>
    [JsonPropertyName("image")]
    [Description("Container image of every instance; it must have initdb, postgres and pg_basebackup on PATH "
        + "(the official postgres images do). All instances run the same major version.")]
    [Pattern(Patterns.Image)]
    [MaxLength(512)]
    [Default(DefaultImage)]
    public string Image { get; set; } = DefaultImage;

    /// <summary>uid of postgres in the official Debian-based images (also its gid).</summary>
    public const long DebianPostgresUid = 999;

    /// <summary>uid of postgres in the official alpine images (also its gid).</summary>
    public const long AlpinePostgresUid = 70;

    /// <summary>uid (and gid and fsGroup) the instances run as; absent means the one <see cref="Image"/> gives postgres.</summary>
    [JsonPropertyName("postgresUid")]
    [Description("uid the instances run as, also their gid and the volumes' fsGroup. Absent means the uid the image "
        + "gives its postgres user: 70 for a *-alpine tag, else 999 (the official Debian-based images). "
        + "Immutable: the existing data directories belong to it.")]
    [Minimum(1)]
    [Maximum(2147483647)]
    [Validation("self == oldSelf", "postgresUid is immutable: the existing data directories are owned by the old uid")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? PostgresUid { get; set; }

    /// <summary>The uid the instances run as: <see cref="PostgresUid"/>, else the image's postgres uid.</summary>
    public long EffectivePostgresUid() => PostgresUid ?? (IsAlpineImage(Image) ? AlpinePostgresUid : DebianPostgresUid);

    // The tag of the last path segment, before any digest: "15-alpine", "alpine3.20", "17-alpine3.21".
    private static bool IsAlpineImage(string image)
    {
        var segment = image.Split('@')[0].Split('/')[^1];
        var colon = segment.IndexOf(':', StringComparison.Ordinal);
        return colon >= 0 && segment[(colon + 1)..].Contains("alpine", StringComparison.Ordinal);
    }

    /// <summary>Data volume of each instance.</summary>
    [JsonPropertyName("storage")]
    [Validation("self == oldSelf", "storage is immutable: existing volumes are neither resized nor moved")]
    public StorageSpec Storage { get; set; } = new();

    /// <summary>Compute resources of the postgres container.</summary>
    [JsonPropertyName("resources")]
    public ResourcesSpec Resources { get; set; } = new();

    /// <summary>PostgreSQL server settings.</summary>
    [JsonPropertyName("postgresql")]
    public PostgresqlSpec Postgresql { get; set; } = new();

    /// <summary>Streaming replication settings.</summary>
    [JsonPropertyName("replication")]
    public ReplicationSpec Replication { get; set; } = new();

    /// <summary>Settings of the read-only Service over the standbys.</summary>
    [JsonPropertyName("readService")]
    public ReadServiceSpec ReadService { get; set; } = new();
}

/// <summary>The persistent volume each instance keeps its data directory on.</summary>
[Description("The persistent volume each instance (primary and standbys alike) keeps its data directory on.")]
[DefaultEmptyObject]
public sealed class StorageSpec
{
    /// <summary>Default volume size.</summary>
    public const string DefaultSize = "1Gi";

    /// <summary>Requested size of each volume.</summary>
    [JsonPropertyName("size")]
    [Description("Size of each instance's volume as a Kubernetes quantity, e.g. 1Gi, 500Mi, 100G. "
        + "Binary suffixes (Ki, Mi, Gi, Ti) are powers of 1024; decimal ones (k, M, G, T) powers of 1000.")]
    [IntOrString]
    [Pattern(Patterns.StorageQuantity)]
    [Default(DefaultSize)]
    [JsonConverter(typeof(IntOrStringConverter))]
    public string Size { get; set; } = DefaultSize;

    /// <summary>StorageClass of the volumes; the cluster default when absent.</summary>
    [JsonPropertyName("storageClassName")]
    [Description("StorageClass of the volumes. Absent means the cluster's default StorageClass.")]
    [Pattern(@"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$")]
    [MaxLength(253)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? StorageClassName { get; set; }
}

/// <summary>CPU and memory of the postgres container, as in a Pod's container resources.</summary>
[Description("CPU and memory of the postgres container, as in a Pod container's resources. "
    + "Requests are what the scheduler reserves; limits are the most the container may use.")]
[DefaultEmptyObject]
public sealed class ResourcesSpec
{
    /// <summary>Most the container may use, e.g. cpu: 2, memory: 4Gi.</summary>
    [JsonPropertyName("limits")]
    [Description("Most the container may use, by resource name, e.g. cpu: 2, memory: 4Gi. "
        + "A container above its memory limit is killed, so leave room above shared_buffers and work_mem.")]
    [MaxProperties(16)]
    [IntOrString(Target = SchemaTarget.Values)]
    [Pattern(Patterns.Quantity, Target = SchemaTarget.Values)]
    [JsonConverter(typeof(IntOrStringMapConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Limits { get; set; }

    /// <summary>What the scheduler reserves, e.g. cpu: 500m, memory: 1Gi.</summary>
    [JsonPropertyName("requests")]
    [Description("What the scheduler reserves for the container, by resource name, e.g. cpu: 500m, memory: 1Gi.")]
    [MaxProperties(16)]
    [IntOrString(Target = SchemaTarget.Values)]
    [Pattern(Patterns.Quantity, Target = SchemaTarget.Values)]
    [JsonConverter(typeof(IntOrStringMapConverter))]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public Dictionary<string, string>? Requests { get; set; }
}

/// <summary>PostgreSQL server settings.</summary>
[Description("PostgreSQL server settings, written to postgresql.conf on every instance.")]
[DefaultEmptyObject]
public sealed class PostgresqlSpec
{
    /// <summary>Most entries of <see cref="Parameters"/>.</summary>
    public const int MaxParameters = 256;

    /// <summary>postgresql.conf settings merged over the operator's defaults.</summary>
    [JsonPropertyName("parameters")]
    [Description("postgresql.conf settings (name: value, both as strings), e.g. shared_buffers: 256MB, "
        + "work_mem: 16MB, max_connections: \"200\". They are merged over the operator's defaults. "
        + "Settings that replication depends on (wal_level, max_wal_senders, max_replication_slots, hot_standby, "
        + "primary_conninfo, primary_slot_name, synchronous_standby_names, max_slot_wal_keep_size, listen_addresses, "
        + "port, unix_socket_directories and file locations) belong to the operator and are rejected here.")]
    [DefaultEmptyObject]
    [MaxProperties(MaxParameters)]
    [MaxLength(1024, Target = SchemaTarget.Values)]
    [Pattern(Patterns.SingleLine, Target = SchemaTarget.Values)]
    [Validation("self.all(k, k.matches('" + Patterns.ParameterName + "'))",
        "parameter names must be lower-case PostgreSQL setting names (letters, digits, '_', at most one '.')")]
    [Validation("self.all(k, !(k in " + OperatorOwnedParameters.CelList + "))",
        "replication, networking and file-location settings are set by the operator and cannot be overridden")]
    public Dictionary<string, string> Parameters { get; set; } = [];
}

/// <summary>Streaming replication settings.</summary>
[Description("Streaming replication settings.")]
[DefaultEmptyObject]
public sealed class ReplicationSpec
{
    /// <summary>Default cap on WAL kept for slots.</summary>
    public const string DefaultMaxSlotWalKeepSize = "4GB";

    /// <summary>Synchronous commit settings; absent means asynchronous replication.</summary>
    [JsonPropertyName("synchronous")]
    [Description("Synchronous replication (not implemented yet). Absent means asynchronous: the primary "
        + "does not wait for standbys on commit, so a failover can lose the last committed transactions.")]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public SynchronousReplicationSpec? Synchronous { get; set; }

    /// <summary>Cap on WAL a replication slot may retain on the primary (max_slot_wal_keep_size).</summary>
    [JsonPropertyName("maxSlotWalKeepSize")]
    [Description("Most WAL a replication slot may hold back on the primary (PostgreSQL max_slot_wal_keep_size), "
        + "in PostgreSQL units: B, kB, MB, GB, TB, no unit meaning MB, e.g. 4GB or 512MB; -1 for no limit. "
        + "A standby that falls further behind loses its slot and must be cloned again, "
        + "but the primary's disk does not fill up with WAL.")]
    [Pattern(Patterns.PostgresSize)]
    [Default(DefaultMaxSlotWalKeepSize)]
    public string MaxSlotWalKeepSize { get; set; } = DefaultMaxSlotWalKeepSize;
}

/// <summary>Which standbys commits wait for (synchronous_standby_names).</summary>
[Description("Which standbys a commit waits for (PostgreSQL synchronous_standby_names).")]
public sealed class SynchronousReplicationSpec
{
    /// <summary>any (quorum) or first (priority).</summary>
    [JsonPropertyName("method")]
    [Description("any: a commit waits for any 'number' standbys (quorum); first: for the first 'number' standbys in order.")]
    [EnumValues(SynchronousMethods.Any, SynchronousMethods.First)]
    [Default(SynchronousMethods.Any)]
    public string Method { get; set; } = SynchronousMethods.Any;

    /// <summary>How many standbys must confirm a commit.</summary>
    [JsonPropertyName("number")]
    [Description("How many standbys must confirm each commit; at most spec.replicas.")]
    [Minimum(1)]
    [Maximum(PostgresReplicaSetSpec.MaxReplicas)]
    [Default(1)]
    public int Number { get; set; } = 1;
}

/// <summary>Settings of the <c>&lt;name&gt;-ro</c> Service.</summary>
[Description("Settings of the read-only Service <name>-ro, which spreads connections over ready standbys.")]
[DefaultEmptyObject]
public sealed class ReadServiceSpec
{
    /// <summary>Standbys further behind than this leave the read Service (later).</summary>
    [JsonPropertyName("maxLagBytes")]
    [Description("Standbys whose replay is more than this many bytes of WAL behind the primary are taken out "
        + "of the read-only Service until they catch up (not implemented yet). Absent means no limit.")]
    [Minimum(0)]
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public long? MaxLagBytes { get; set; }
}
