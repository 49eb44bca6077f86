using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Operator.Tests.Reconciliation;

/// <summary>PostgresReplicaSet objects as the API server would hand them to the operator.</summary>
public static class TestClusters
{
    public static PostgresReplicaSet Named(string name, int replicas = 2, string ns = "db") => new()
    {
        Metadata = new() { Name = name, NamespaceProperty = ns, Uid = "uid-" + name, Generation = 1, ResourceVersion = "1" },
        Spec = new PostgresReplicaSetSpec { Replicas = replicas, Image = "postgres:17" },
    };
}
