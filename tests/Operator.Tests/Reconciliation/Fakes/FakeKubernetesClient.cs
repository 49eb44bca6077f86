using System.Text.Json;
using System.Text.Json.Nodes;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;
using PgReplica.Operator.Reconciliation;
using PgReplica.Sandbox.Api;
using SandboxJsonPatch = PgReplica.Sandbox.Api.JsonPatch;
using SandboxMergePatch = PgReplica.Sandbox.Api.MergePatch;

namespace PgReplica.Operator.Tests.Reconciliation.Fakes;

/// <summary>
/// An in-memory API server for unit tests of the reconciler's step logic: objects stored as JSON, uids and
/// resourceVersions assigned, AlreadyExists/NotFound as Status errors, label-selector lists, JSON Patch,
/// status subresource. Pods are deleted gracefully (deletionTimestamp) until <see cref="FinishTerminations"/>.
/// </summary>
public sealed class FakeKubernetesClient(CrashSwitch crash) : IKubernetesClient, IClusterCache
{
    private readonly Dictionary<(string Kind, string? Ns, string Name), JsonObject> objects = [];
    private long version = 1;

    public List<string> Log { get; } = [];

    /// <summary>Admission: a message here makes a create fail with 422 Invalid, as the API server's validation would.</summary>
    public Func<IKubernetesObject<V1ObjectMeta>, string?> Validate { get; set; } = _ => null;
    public string DefaultNamespace => "default";

    public IEnumerable<T> All<T>() where T : class, IKubernetesObject<V1ObjectMeta> =>
        objects.Where(o => o.Key.Kind == EntityInfo.Of<T>().Kind).Select(o => Read<T>(o.Value)).ToList();

    public void Put<T>(T obj) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        Stamp(node, creating: obj.Metadata.Uid is null);
        objects[Key<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name!)] = node;
    }

    public void Mutate<T>(string? ns, string name, Action<T> change) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var obj = Read<T>(objects[Key<T>(ns, name)]);
        change(obj);
        Put(obj);
    }

    /// <summary>The kubelet finishing graceful deletions.</summary>
    public void FinishTerminations()
    {
        foreach (var key in objects.Where(o => o.Value["metadata"]?["deletionTimestamp"] is not null && !(o.Value["metadata"]?["finalizers"]?.AsArray().Count > 0)).Select(o => o.Key).ToList())
        {
            objects.Remove(key);
        }
    }

    /// <summary>The caches as a controller would hold them: what the fake API holds now.</summary>
    public (IReadOnlyList<V1Pod> Pods, IReadOnlyList<V1PersistentVolumeClaim> Claims, IReadOnlyList<V1Service> Services) Owned(string? ns, string clusterSelector) =>
        (ListAsync<V1Pod>(ns, new ListOptions { LabelSelector = clusterSelector }).Result.Items.ToList(),
         ListAsync<V1PersistentVolumeClaim>(ns, new ListOptions { LabelSelector = clusterSelector }).Result.Items.ToList(),
         ListAsync<V1Service>(ns, new ListOptions { LabelSelector = clusterSelector }).Result.Items.ToList());

    public V1Secret? Secret(string? ns, string name) => GetAsync<V1Secret>(name, ns).Result;

    public Task<T?> GetAsync<T>(string name, string? ns = null, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Task.FromResult(objects.TryGetValue(Key<T>(ns, name), out var node) ? Read<T>(node) : null);

    public Task<KubernetesList<T>> ListAsync<T>(string? ns = null, ListOptions? options = null, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var wanted = (options?.LabelSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToList();
        var items = objects.Where(o => o.Key.Kind == EntityInfo.Of<T>().Kind && o.Key.Ns == ns)
            .Select(o => Read<T>(o.Value))
            .Where(o => wanted.All(w => o.GetLabel(w[0]) == w[1]))
            .ToList();
        return Task.FromResult(new KubernetesList<T>(items));
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var key = Key<T>(obj.Metadata.NamespaceProperty, obj.Metadata.Name!);
        obj.ApiVersion ??= EntityInfo.Of<T>().ApiVersion;
        obj.Kind ??= EntityInfo.Of<T>().Kind;
        if (objects.ContainsKey(key)) throw Error(409, "AlreadyExists");
        if (Validate(obj) is { } invalid) throw KubernetesApiException.From(422, "Invalid", invalid);
        var node = JsonNode.Parse(KubernetesJson.Serialize(obj))!.AsObject();
        node.Remove("status");
        Stamp(node, creating: true);
        objects[key] = node;
        Log.Add($"create {key.Kind} {key.Name}");
        crash.AfterMutation();
        return Task.FromResult(Read<T>(node));
    }

    public Task<DeleteResult<T>> DeleteAsync<T>(string name, string? ns = null, V1DeleteOptions? options = null, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var key = Key<T>(ns, name);
        if (!objects.TryGetValue(key, out var node)) throw Error(404, "NotFound");
        Log.Add($"delete {key.Kind} {key.Name}");
        if (key.Kind == "Pod" || node["metadata"]?["finalizers"]?.AsArray().Count > 0)
        {
            node["metadata"]!["deletionTimestamp"] ??= "2026-01-01T00:00:00Z";
            Stamp(node, creating: false);
            crash.AfterMutation();
            return Task.FromResult(new DeleteResult<T>(Read<T>(node), null));
        }

        objects.Remove(key);
        crash.AfterMutation();
        return Task.FromResult(new DeleteResult<T>(null, new V1Status { Code = 200, Status = "Success" }));
    }

    public Task<T> PatchAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Patch<T>(name, ns, patch, statusOnly: false);

    public Task<T> PatchStatusAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta> =>
        Patch<T>(name, ns, patch, statusOnly: true);

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();
    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();
    public Task<V1Scale> GetScaleAsync<T>(string name, string? ns, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();
    public Task<V1Scale> PatchScaleAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();
    public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns = null, ListOptions? options = null, CancellationToken ct = default) where T : class, IKubernetesObject<V1ObjectMeta> => throw new NotSupportedException();

    private Task<T> Patch<T>(string name, string? ns, KubernetesPatch patch, bool statusOnly) where T : class, IKubernetesObject<V1ObjectMeta>
    {
        var key = Key<T>(ns, name);
        if (!objects.TryGetValue(key, out var node)) throw Error(404, "NotFound");
        JsonObject copy;
        try
        {
            // The sandbox's patch engines: one implementation of RFC 6902 and RFC 7386 in the repository.
            copy = patch.ContentType == KubernetesPatch.JsonPatchType
                ? SandboxJsonPatch.Apply(node, JsonNode.Parse(patch.Body)!.AsArray()).AsObject()
                : SandboxMergePatch.Apply(node.DeepClone(), JsonNode.Parse(patch.Body))!.AsObject();
        }
        catch (ApiException e)
        {
            throw Error(e.Code, e.Reason);
        }

        // Only the subresource's part of the object changes, as the API server keeps it.
        if (statusOnly)
        {
            var status = copy["status"]?.DeepClone();
            copy = node.DeepClone().AsObject();
            copy["status"] = status;
        }
        else
        {
            copy["status"] = node["status"]?.DeepClone();
        }

        Stamp(copy, creating: false);
        if (copy["metadata"]?["deletionTimestamp"] is not null && !(copy["metadata"]?["finalizers"]?.AsArray().Count > 0))
        {
            objects.Remove(key);
        }
        else
        {
            objects[key] = copy;
        }

        Log.Add($"patch {key.Kind} {key.Name} {(statusOnly ? "status" : "")}");
        crash.AfterMutation();
        return Task.FromResult(Read<T>(copy));
    }

    private void Stamp(JsonObject node, bool creating)
    {
        var meta = node["metadata"]!.AsObject();
        if (creating)
        {
            meta["uid"] = Guid.NewGuid().ToString();
            meta["creationTimestamp"] = "2026-01-01T00:00:00Z";
        }

        meta["resourceVersion"] = (++version).ToString(System.Globalization.CultureInfo.InvariantCulture);
    }

    private static T Read<T>(JsonNode node) => KubernetesJson.Deserialize<T>(node.ToJsonString());

    private static (string Kind, string? Ns, string Name) Key<T>(string? ns, string name) => (EntityInfo.Of<T>().Kind, ns, name);

    private static KubernetesApiException Error(int code, string reason) => KubernetesApiException.From(code, reason, reason);
}
