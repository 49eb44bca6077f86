using System.Text.Json.Nodes;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>
/// Adds and removes a finalizer with guarded JSON Patches (kube-rs <c>finalizer</c>): a <c>test</c> op pins the
/// list or index the change was computed from, so a concurrent writer makes the patch fail (422) and it is retried on a fresh read.
/// </summary>
public static class Finalizers
{
    /// <summary>How many read-patch rounds to try before giving up.</summary>
    public const int MaxAttempts = 5;

    /// <summary>
    /// The JSON Patch that appends <paramref name="finalizer"/> to <paramref name="current"/>. With no list yet it creates
    /// one, guarded by the object's <paramref name="resourceVersion"/>: servers differ on whether a <c>test</c> for null
    /// matches an absent member, and a resourceVersion test means the same everywhere.
    /// </summary>
    public static JsonPatch AddPatch(IList<string>? current, string finalizer, string? resourceVersion)
    {
        if (current is null || current.Count == 0)
        {
            return new JsonPatch()
                .Test("/metadata/resourceVersion", resourceVersion)
                .Add("/metadata/finalizers", new JsonArray(finalizer));
        }

        return new JsonPatch()
            .Test("/metadata/finalizers", new JsonArray([.. current.Select(f => (JsonNode?)f)]))
            .Add("/metadata/finalizers/-", finalizer);
    }

    /// <summary>The JSON Patch that removes <paramref name="finalizer"/> at its index in <paramref name="current"/>, or null when absent.</summary>
    public static JsonPatch? RemovePatch(IList<string>? current, string finalizer)
    {
        var index = current?.IndexOf(finalizer) ?? -1;
        if (index < 0)
        {
            return null;
        }

        var path = $"/metadata/finalizers/{index}";
        return new JsonPatch().Test(path, finalizer).Remove(path);
    }

    /// <summary>Ensures <paramref name="finalizer"/> is on the object; returns the latest object (unchanged if present).</summary>
    public static Task<T> AddAsync<T>(IKubernetesClient client, T obj, string finalizer, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta> =>
        RetryAsync(client, obj, o => o.Metadata.Finalizers?.Contains(finalizer) == true ? null : AddPatch(o.Metadata.Finalizers, finalizer, o.Metadata.ResourceVersion), ct);

    /// <summary>Ensures <paramref name="finalizer"/> is gone; returns the object as the server answered, or null when it was already gone.</summary>
    public static async Task<T?> RemoveAsync<T>(IKubernetesClient client, T obj, string finalizer, CancellationToken ct = default)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        try
        {
            return await RetryAsync(client, obj, o => RemovePatch(o.Metadata.Finalizers, finalizer), ct);
        }
        catch (KubernetesApiException e) when (e.IsNotFound)
        {
            return null;
        }
    }

    private static async Task<T> RetryAsync<T>(IKubernetesClient client, T obj, Func<T, JsonPatch?> patchFor, CancellationToken ct)
        where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var current = obj;
        for (var attempt = 1; ; attempt++)
        {
            var patch = patchFor(current);
            if (patch is null)
            {
                return current;
            }

            try
            {
                return await client.PatchAsync<T>(current.Metadata.Name!, current.Metadata.NamespaceProperty, KubernetesPatch.Json(patch), ct);
            }
            catch (KubernetesApiException e) when ((e.IsInvalid || e.IsConflict) && attempt < MaxAttempts)
            {
                current = await client.GetAsync<T>(current.Metadata.Name!, current.Metadata.NamespaceProperty, ct)
                    ?? throw new KubernetesApiException(new V1Status { Code = 404, Reason = "NotFound", Message = $"{current.Metadata.Name} is gone" });
            }
        }
    }
}
