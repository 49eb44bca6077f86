using k8s;
using k8s.Models;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Kube.Runtime;

namespace PgReplica.Operator.Reconciliation;

/// <summary><see cref="IClusterCache"/> over the stores of the running controller (a new term starts new stores, so they are looked up each time).</summary>
public sealed class StoreClusterCache(Func<Controller<PostgresReplicaSet>> controller) : IClusterCache
{
    /// <inheritdoc />
    public (IReadOnlyList<V1Pod> Pods, IReadOnlyList<V1PersistentVolumeClaim> Claims, IReadOnlyList<V1Service> Services) Owned(string? ns, string clusterSelector)
    {
        var (key, value) = SplitSelector(clusterSelector);
        var c = controller();
        return (Select(c.StoreOf<V1Pod>(), ns, key, value), Select(c.StoreOf<V1PersistentVolumeClaim>(), ns, key, value), Select(c.StoreOf<V1Service>(), ns, key, value));
    }

    /// <inheritdoc />
    public V1Secret? Secret(string? ns, string name) => controller().StoreOf<V1Secret>().Get(new ObjectRef(ns, name));

    private static List<T> Select<T>(Store<T> store, string? ns, string key, string value)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        store.List().Where(o => o.Metadata.NamespaceProperty == ns && o.GetLabel(key) == value).ToList();

    private static (string Key, string Value) SplitSelector(string selector)
    {
        var at = selector.IndexOf('=', StringComparison.Ordinal);
        return (selector[..at], selector[(at + 1)..]);
    }
}
