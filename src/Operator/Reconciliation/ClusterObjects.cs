using k8s;
using k8s.Models;
using PgReplica.Entities.Naming;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Client;
using PgReplica.Operator.Postgres;
using PgReplica.Operator.Reconciliation.Builders;

namespace PgReplica.Operator.Reconciliation;

/// <summary>A cluster's objects: read from the controller's caches, written to the API (create if absent, delete if present).</summary>
public sealed class ClusterObjects(IKubernetesClient kube, IClusterCache cache, IPrimaryDatabases databases)
{
    /// <summary>The cluster's Pods, PVCs and Services as the caches hold them.</summary>
    public ClusterInventory Inventory(PostgresReplicaSet cluster, ClusterNames names)
    {
        var (pods, claims, services) = cache.Owned(cluster.Metadata.NamespaceProperty, names.ClusterSelector);
        return new ClusterInventory(cluster, pods, claims, services);
    }

    /// <summary>The cluster's replication Secret as the cache holds it.</summary>
    public V1Secret? Secret(PostgresReplicaSet cluster, ClusterNames names) => cache.Secret(cluster.Metadata.NamespaceProperty, names.ReplicationSecret);

    /// <summary>The primary's database when its pod is ready and it answers as a primary; otherwise null.</summary>
    public async Task<IPrimaryDatabase?> ConnectAsync(PostgresReplicaSet cluster, ClusterNames names, ClusterInventory inventory, int primaryOrdinal, CancellationToken ct)
    {
        if (!inventory.Pods.TryGetValue(primaryOrdinal, out var pod) || pod.Status?.PodIP is not { Length: > 0 } ip) return null;
        var secret = Secret(cluster, names);
        var password = secret is null ? null : SecretBuilder.Read(secret, SecretBuilder.SuperuserPasswordKey);
        if (password is null) return null;
        var database = databases.For(Key(cluster), new PostgresEndpoint(ip, PostgresEndpoint.DefaultPort, PgHba.Superuser, password));
        return await database.AcceptsConnectionsAsync(ct) ? database : null;
    }

    /// <summary>
    /// Creates <paramref name="desired"/>; null when it already exists (an earlier pass the cache had not caught up with,
    /// or someone else: not ours to replace) or, with <paramref name="problems"/>, when the API refuses it (reported there).
    /// </summary>
    public async Task<T?> CreateAsync<T>(T desired, CancellationToken ct, List<string>? problems = null)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            return await kube.CreateAsync(desired, ct);
        }
        catch (KubernetesApiException e) when (e.IsAlreadyExists)
        {
            return null;
        }
        catch (KubernetesApiException e) when (e.IsInvalid && problems is not null)
        {
            // The spec produced an object the API refuses (say, a storage size it cannot parse): report it, keep going.
            problems.Add($"{desired.Kind} {desired.Metadata.Name} was refused: {e.Status.Message ?? e.Message}");
            return null;
        }
    }

    /// <summary>Deletes in the background; an object already gone is fine.</summary>
    public async Task DeleteAsync<T>(string name, PostgresReplicaSet cluster, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        await kube.DeleteAsync<T>(name, cluster.Metadata.NamespaceProperty, new V1DeleteOptions { PropagationPolicy = "Background" }, ct);

    /// <summary>The key of a cluster's connection pool and metrics.</summary>
    public static string Key(PostgresReplicaSet cluster) => $"{cluster.Metadata.NamespaceProperty}/{cluster.Metadata.Name}";
}
