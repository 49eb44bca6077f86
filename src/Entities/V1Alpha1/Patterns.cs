namespace PgReplica.Entities.V1Alpha1;

/// <summary>Regular expressions of the API's string fields, shared by the CRD schema and the C# checks.</summary>
public static class Patterns
{
    /// <summary>A Kubernetes resource quantity (the apimachinery Quantity pattern), e.g. <c>500m</c>, <c>1Gi</c>, <c>2</c>.</summary>
    public const string Quantity =
        @"^(\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\+|-)?(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))))?$";

    /// <summary>A non-negative byte quantity for volumes, e.g. <c>1Gi</c>, <c>500M</c>, <c>10G</c>.</summary>
    public const string StorageQuantity = @"^(([0-9]+(\.[0-9]*)?)|(\.[0-9]+))(([KMGTPE]i)|[kMGTPE])?$";

    /// <summary>
    /// A container image reference: lower-case repository path (optionally with registry host:port),
    /// optional tag, optional sha256 digest, e.g. <c>postgres:17</c>, <c>registry.local:5000/db/postgres:17.2@sha256:…</c>.
    /// </summary>
    public const string Image =
        @"^[a-z0-9]+([._-][a-z0-9]+)*(:[0-9]+)?(/[a-z0-9]+([._-][a-z0-9]+)*)*(:[A-Za-z0-9_][A-Za-z0-9._-]{0,127})?(@sha256:[a-f0-9]{64})?$";

    /// <summary>A PostgreSQL size setting: an integer with an optional memory unit (B, kB, MB, GB, TB), or -1 for "no limit".</summary>
    public const string PostgresSize = @"^(-1|[0-9]{1,15}(B|kB|MB|GB|TB)?)$";

    /// <summary>A PostgreSQL setting name: lower case, one optional dot for extension settings (e.g. <c>pg_stat_statements.max</c>).</summary>
    public const string ParameterName = @"^[a-z_][a-z0-9_]*([.][a-z_][a-z0-9_]*)?$";

    /// <summary>A single-line value: postgresql.conf takes one setting per line.</summary>
    public const string SingleLine = @"^[^\n\r]*$";

    /// <summary>A WAL location as PostgreSQL prints it, e.g. <c>0/3000148</c>.</summary>
    public const string Lsn = @"^[0-9A-F]{1,8}/[0-9A-F]{1,8}$";

    /// <summary>A Kubernetes resource name usable as a DNS-1035 label (starts with a letter).</summary>
    public const string Dns1035Label = @"^[a-z]([-a-z0-9]*[a-z0-9])?$";

    /// <summary>metav1.Condition reason: CamelCase, machine-readable.</summary>
    public const string ConditionReason = @"^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$";

    /// <summary>metav1.Condition type: optionally domain-prefixed CamelCase.</summary>
    public const string ConditionType =
        @"^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$";
}
