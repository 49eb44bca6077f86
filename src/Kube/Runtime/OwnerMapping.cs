using PgReplica.Kube.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>Maps an owned object (Pod, Service, PVC…) to the owners of kind <typeparamref name="TOwner"/> its ownerReferences name.</summary>
public static class OwnerMapping
{
    /// <summary>Owners of kind <typeparamref name="TOwner"/> (same namespace as the child); only the controller owner when <paramref name="controllerOnly"/>.</summary>
    public static IEnumerable<ObjectRef> OwnersOf<TOwner>(IKubernetesObject child, bool controllerOnly = false)
        where TOwner : class, IKubernetesObject
    {
        var info = EntityInfo.Of<TOwner>();
        foreach (var owner in child.Metadata.OwnerReferences ?? [])
        {
            if (owner.Kind == info.Kind && owner.ApiVersion == info.ApiVersion && (!controllerOnly || owner.Controller == true))
            {
                yield return new ObjectRef(info.ClusterScoped ? null : child.Metadata.Namespace, owner.Name);
            }
        }
    }

    /// <summary>An ownerReference to <paramref name="owner"/> that marks it as the managing controller.</summary>
    public static OwnerReference ControllerReference<TOwner>(TOwner owner)
        where TOwner : class, IKubernetesObject
    {
        var info = EntityInfo.Of<TOwner>();
        return new OwnerReference
        {
            ApiVersion = info.ApiVersion,
            Kind = info.Kind,
            Name = owner.Metadata.Name ?? "",
            Uid = owner.Metadata.Uid ?? "",
            Controller = true,
            BlockOwnerDeletion = true,
        };
    }
}
