using k8s;
using k8s.Models;
using PgReplica.Kube.Client;

namespace PgReplica.Kube.Runtime;

/// <summary>Maps an owned object (Pod, Service, PVC…) to the owners of kind <typeparamref name="TOwner"/> its ownerReferences name.</summary>
public static class OwnerMapping
{
    /// <summary>Owners of kind <typeparamref name="TOwner"/> (same namespace as the child); only the controller owner when <paramref name="controllerOnly"/>.</summary>
    public static IEnumerable<ObjectRef> OwnersOf<TOwner>(IKubernetesObject<V1ObjectMeta> child, bool controllerOnly = false)
        where TOwner : class, IKubernetesObject<V1ObjectMeta>
    {
        var info = EntityInfo.Of<TOwner>();
        foreach (var owner in child.Metadata.OwnerReferences ?? [])
        {
            if (owner.Kind == info.Kind && owner.ApiVersion == info.ApiVersion && (!controllerOnly || owner.Controller == true))
            {
                yield return new ObjectRef(info.ClusterScoped ? null : child.Metadata.NamespaceProperty, owner.Name);
            }
        }
    }

    /// <summary>An ownerReference to <paramref name="owner"/> that marks it as the managing controller.</summary>
    public static V1OwnerReference ControllerReference<TOwner>(TOwner owner)
        where TOwner : class, IKubernetesObject<V1ObjectMeta>
    {
        var info = EntityInfo.Of<TOwner>();
        return new V1OwnerReference
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
