using System.Text.Json;
using System.Text.Json.Nodes;
using PgReplica.Kube.Client;
using PgReplica.Kube.Models;

namespace PgReplica.Operator.Tests.Reconciliation.Fakes;

/// <summary>
/// An in-memory API server for unit tests of the reconciler's step logic: objects stored as JSON, uids and
/// resourceVersions assigned, AlreadyExists/NotFound as Status errors, label-selector lists, JSON Patch,
/// status subresource. Pods are deleted gracefully (deletionTimestamp) until <see cref="FinishTerminations"/>.
/// </summary>
public sealed class FakeKubernetesClient(CrashSwitch crash) : IKubernetesClient
{
    private readonly Dictionary<(string Kind, string? Ns, string Name), JsonObject> objects = [];
    private long version = 1;

    public List<string> Log { get; } = [];

    /// <summary>Admission: a message here makes a create fail with 422 Invalid, as the API server's validation would.</summary>
    public Func<IKubernetesObject, string?> Validate { get; set; } = _ => null;
    public string DefaultNamespace => "default";

    public IEnumerable<T> All<T>() where T : class, IKubernetesObject =>
        objects.Where(o => o.Key.Kind == EntityInfo.Of<T>().Kind).Select(o => Read<T>(o.Value)).ToList();

    public void Put<T>(T obj) where T : class, IKubernetesObject
    {
        var node = JsonSerializer.SerializeToNode(obj, KubernetesJson.Options)!.AsObject();
        Stamp(node, creating: obj.Metadata.Uid is null);
        objects[Key<T>(obj.Metadata.Namespace, obj.Metadata.Name!)] = node;
    }

    public void Mutate<T>(string? ns, string name, Action<T> change) where T : class, IKubernetesObject
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

    public Task<T?> GetAsync<T>(string name, string? ns = null, CancellationToken ct = default) where T : class, IKubernetesObject =>
        Task.FromResult(objects.TryGetValue(Key<T>(ns, name), out var node) ? Read<T>(node) : null);

    public Task<KubernetesList<T>> ListAsync<T>(string? ns = null, ListOptions? options = null, CancellationToken ct = default) where T : class, IKubernetesObject
    {
        var wanted = (options?.LabelSelector ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(p => p.Split('=')).ToList();
        var items = objects.Where(o => o.Key.Kind == EntityInfo.Of<T>().Kind && o.Key.Ns == ns)
            .Select(o => Read<T>(o.Value))
            .Where(o => wanted.All(w => o.Metadata.Labels?.GetValueOrDefault(w[0]) == w[1]))
            .ToList();
        return Task.FromResult(new KubernetesList<T> { Items = items });
    }

    public Task<T> CreateAsync<T>(T obj, CancellationToken ct = default) where T : class, IKubernetesObject
    {
        var key = Key<T>(obj.Metadata.Namespace, obj.Metadata.Name!);
        if (objects.ContainsKey(key)) throw Error(409, "AlreadyExists");
        if (Validate(obj) is { } invalid) throw new KubernetesException(new PgReplica.Kube.Models.Status { Code = 422, Reason = "Invalid", Message = invalid, Outcome = "Failure" });
        var node = JsonSerializer.SerializeToNode(obj, KubernetesJson.Options)!.AsObject();
        node.Remove("status");
        Stamp(node, creating: true);
        objects[key] = node;
        Log.Add($"create {key.Kind} {key.Name}");
        crash.AfterMutation();
        return Task.FromResult(Read<T>(node));
    }

    public Task<DeleteResult<T>> DeleteAsync<T>(string name, string? ns = null, DeleteOptions? options = null, CancellationToken ct = default) where T : class, IKubernetesObject
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
        return Task.FromResult(new DeleteResult<T>(null, new PgReplica.Kube.Models.Status { Code = 200, Outcome = "Success" }));
    }

    public Task<T> PatchAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default) where T : class, IKubernetesObject =>
        Patch<T>(name, ns, patch, statusOnly: false);

    public Task<T> PatchStatusAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default) where T : class, IKubernetesObject =>
        Patch<T>(name, ns, patch, statusOnly: true);

    public Task<T> ReplaceAsync<T>(T obj, CancellationToken ct = default) where T : class, IKubernetesObject => throw new NotSupportedException();
    public Task<T> ReplaceStatusAsync<T>(T obj, CancellationToken ct = default) where T : class, IKubernetesObject => throw new NotSupportedException();
    public Task<Scale> GetScaleAsync<T>(string name, string? ns, CancellationToken ct = default) where T : class, IKubernetesObject => throw new NotSupportedException();
    public Task<Scale> PatchScaleAsync<T>(string name, string? ns, KubernetesPatch patch, CancellationToken ct = default) where T : class, IKubernetesObject => throw new NotSupportedException();
    public IAsyncEnumerable<WatchEvent<T>> WatchAsync<T>(string? ns = null, ListOptions? options = null, CancellationToken ct = default) where T : class, IKubernetesObject => throw new NotSupportedException();

    private Task<T> Patch<T>(string name, string? ns, KubernetesPatch patch, bool statusOnly) where T : class, IKubernetesObject
    {
        var key = Key<T>(ns, name);
        if (!objects.TryGetValue(key, out var node)) throw Error(404, "NotFound");
        if (patch.ContentType != KubernetesPatch.JsonPatchType) throw new NotSupportedException(patch.ContentType);
        var copy = node.DeepClone().AsObject();
        foreach (var op in JsonNode.Parse(patch.Body)!.AsArray())
        {
            var path = op!["path"]!.GetValue<string>();
            if (statusOnly != path.StartsWith("/status", StringComparison.Ordinal)) throw Error(422, "Invalid");
            Apply(copy, op["op"]!.GetValue<string>(), path, op["value"]);
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

    private static void Apply(JsonObject root, string op, string path, JsonNode? value)
    {
        var parts = path.Split('/').Skip(1).Select(p => p.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToList();
        JsonNode parent = root;
        foreach (var part in parts.SkipLast(1))
        {
            parent = (parent is JsonArray a ? a[int.Parse(part, System.Globalization.CultureInfo.InvariantCulture)] : parent[part]) ?? throw Error(422, "Invalid");
        }

        var last = parts[^1];
        switch (op)
        {
            case "test":
                var current = parent is JsonArray ta ? ta[int.Parse(last, System.Globalization.CultureInfo.InvariantCulture)] : parent[last];
                if (!JsonNode.DeepEquals(current, value)) throw Error(422, "Invalid");
                break;
            case "add" or "replace" when parent is JsonArray array:
                if (last == "-") array.Add(value?.DeepClone());
                else array.Insert(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture), value?.DeepClone());
                break;
            case "add" or "replace":
                parent.AsObject()[last] = value?.DeepClone();
                break;
            case "remove" when parent is JsonArray removeFrom:
                removeFrom.RemoveAt(int.Parse(last, System.Globalization.CultureInfo.InvariantCulture));
                break;
            case "remove":
                parent.AsObject().Remove(last);
                break;
            default:
                throw new NotSupportedException(op);
        }
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

    private static T Read<T>(JsonNode node) => node.Deserialize<T>(KubernetesJson.Options)!;

    private static (string Kind, string? Ns, string Name) Key<T>(string? ns, string name) => (EntityInfo.Of<T>().Kind, ns, name);

    private static KubernetesException Error(int code, string reason) => new(new PgReplica.Kube.Models.Status { Code = code, Reason = reason, Outcome = "Failure" });
}
