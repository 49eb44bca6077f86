using k8s.Models;

namespace PgReplica.Operator.Reconciliation;

/// <summary>
/// What a pass reads about a cluster's own objects: the controller's reflector stores, filled by its watches
/// (kube-rs style), so a pass costs no LIST or GET. Writes still go to the API.
/// </summary>
public interface IClusterCache
{
    /// <summary>The cluster's Pods, PVCs and Services (by the cluster label) in <paramref name="ns"/>.</summary>
    (IReadOnlyList<V1Pod> Pods, IReadOnlyList<V1PersistentVolumeClaim> Claims, IReadOnlyList<V1Service> Services) Owned(string? ns, string clusterSelector);

    /// <summary>A Secret by name, or null when the store has none.</summary>
    V1Secret? Secret(string? ns, string name);
}
