namespace PgReplica.Entities.Naming;

/// <summary>Label keys and values the operator puts on everything it creates.</summary>
public static class Labels
{
    /// <summary>Name of the PostgresReplicaSet an object belongs to.</summary>
    public const string Cluster = "pgreplica.io/cluster";

    /// <summary>primary or standby; moves on failover.</summary>
    public const string Role = "pgreplica.io/role";

    /// <summary>Pod name of the instance (<c>&lt;cluster&gt;-&lt;n&gt;</c>) an object serves.</summary>
    public const string Instance = "pgreplica.io/instance";

    /// <summary>Value of <see cref="Role"/> on the instance accepting writes.</summary>
    public const string PrimaryRole = "primary";

    /// <summary>Value of <see cref="Role"/> on read-only instances.</summary>
    public const string StandbyRole = "standby";

    /// <summary>The finalizer that holds a PostgresReplicaSet until its standbys and slots are cleaned up.</summary>
    public const string Finalizer = "pgreplica.io/cleanup";
}
