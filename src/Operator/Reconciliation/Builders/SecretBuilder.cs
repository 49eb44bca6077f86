using System.Security.Cryptography;
using System.Text;
using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;

namespace PgReplica.Operator.Reconciliation.Builders;

/// <summary>The cluster's Secret: the replication role's and the superuser's passwords, made once and never replaced.</summary>
public static class SecretBuilder
{
    /// <summary>Key of the replication role's password.</summary>
    public const string ReplicationPasswordKey = "replication-password";

    /// <summary>Key of the postgres superuser's password.</summary>
    public const string SuperuserPasswordKey = "superuser-password";

    // Letters and digits only: no quoting trouble in SQL literals, conninfo strings or shell.
    private const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    /// <summary>A Secret with two fresh passwords from the cryptographic RNG (190 bits each).</summary>
    public static V1Secret Build(PostgresReplicaSet cluster)
    {
        var names = new ClusterNames(cluster.Metadata.Name!);
        return new V1Secret
        {
            Metadata = OwnedMetadata.For(cluster, names.ReplicationSecret, names.ClusterLabels()),
            Type = "Opaque",
            Data = new Dictionary<string, byte[]>
            {
                [ReplicationPasswordKey] = Encoding.UTF8.GetBytes(NewPassword()),
                [SuperuserPasswordKey] = Encoding.UTF8.GetBytes(NewPassword()),
            },
        };
    }

    /// <summary>A 32-character password from RandomNumberGenerator.</summary>
    public static string NewPassword() => RandomNumberGenerator.GetString(Alphabet, 32);

    /// <summary>The password under key, or null when the Secret lacks it (someone edited it).</summary>
    public static string? Read(V1Secret secret, string key) =>
        secret.Data?.TryGetValue(key, out var bytes) == true && bytes.Length > 0 ? Encoding.UTF8.GetString(bytes)
        : secret.StringData?.TryGetValue(key, out var text) == true && text.Length > 0 ? text
        : null;
}
