using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;

namespace PgReplica.Operator.Reconciliation.Builders;

/// <summary>
/// The cluster's Services. <c>-rw</c> selects role=primary. <c>-ro</c> selects role=standby and relies on
/// readiness: a standby's pod is Ready only when pg_isready answers, so endpoints are the standbys that
/// accept read connections. <c>&lt;name&gt;-&lt;n&gt;</c> selects one instance.
/// </summary>
public static class ServiceBuilder
{
    /// <summary>The port name every Service and container uses.</summary>
    public const string PortName = "postgres";

    /// <summary>The read-write Service over the primary.</summary>
    public static V1Service ReadWrite(PostgresReplicaSet cluster)
    {
        var names = new ClusterNames(cluster.Metadata.Name!);
        return Build(cluster, names.ReadWriteService, Selector(names, Labels.PrimaryRole));
    }

    /// <summary>The read-only Service over the ready standbys.</summary>
    public static V1Service ReadOnly(PostgresReplicaSet cluster)
    {
        var names = new ClusterNames(cluster.Metadata.Name!);
        return Build(cluster, names.ReadOnlyService, Selector(names, Labels.StandbyRole));
    }

    /// <summary>The Service of one instance, named like its pod.</summary>
    public static V1Service Instance(PostgresReplicaSet cluster, int ordinal)
    {
        var names = new ClusterNames(cluster.Metadata.Name!);
        var selector = new Dictionary<string, string>(names.ClusterLabels()) { [Labels.Instance] = names.Pod(ordinal) };
        var service = Build(cluster, names.InstanceService(ordinal), selector);
        service.Metadata.Labels![Labels.Instance] = names.Pod(ordinal);
        return service;
    }

    private static Dictionary<string, string> Selector(ClusterNames names, string role) =>
        new(names.ClusterLabels()) { [Labels.Role] = role };

    private static V1Service Build(PostgresReplicaSet cluster, string name, Dictionary<string, string> selector) => new()
    {
        Metadata = OwnedMetadata.For(cluster, name, new ClusterNames(cluster.Metadata.Name!).ClusterLabels()),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = selector,
            Ports = [new V1ServicePort { Name = PortName, Protocol = "TCP", Port = PostgresParameters.Port, TargetPort = PortName }],
        },
    };
}
