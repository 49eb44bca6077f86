using k8s;
using k8s.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>The operator's logic for one kind (KubeOps <c>IEntityController</c>).</summary>
public interface IEntityController<in TEntity>
    where TEntity : class, IKubernetesObject<V1ObjectMeta>
{
    /// <summary>Brings the world in line with <paramref name="entity"/> (the latest cached state). Throwing requeues with back-off.</summary>
    Task<ReconcileResult> ReconcileAsync(TEntity entity, CancellationToken ct);

    /// <summary>Called once the entity is gone from the API (its last known state).</summary>
    Task DeletedAsync(TEntity entity, CancellationToken ct);
}

/// <summary>What a reconcile asks for next: nothing, or another pass after a delay.</summary>
public sealed record ReconcileResult(TimeSpan? RequeueAfter)
{
    /// <summary>Done; wait for the next change (or resync).</summary>
    public static ReconcileResult Done { get; } = new((TimeSpan?)null);

    /// <summary>Run again after <paramref name="delay"/> (waiting is not an error: no back-off).</summary>
    public static ReconcileResult Requeue(TimeSpan delay) => new(delay);
}
