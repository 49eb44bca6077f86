using System.Text;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Makes a pod's volumes exist on disk: emptyDir under the pod directory, a PVC as a volume of its declared size per
/// claim (<see cref="ClaimVolume"/>) that outlives the pod (and is marked Bound), a Secret or ConfigMap as files.
/// All are root's, as the kubelet makes them, and get the pod's fsGroup at each pod start (<see cref="VolumeOwnership"/>).
/// </summary>
internal static class PodVolumes
{
    /// <summary>Where claim volumes (images and mount points) live.</summary>
    public static string VolumesRoot(NodeOptions options) => Path.Combine(options.RootDirectory, "volumes");

    /// <summary>Host path of every volume; throws <see cref="ContainerConfigException"/> while a Secret or PVC is missing.</summary>
    public static Dictionary<string, string> Prepare(NodeContext ctx, PodModel pod, string podDirectory)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var sc = pod.SecurityContext;
        foreach (var v in pod.Volumes)
        {
            switch (v.Kind)
            {
                case "emptyDir":
                    {
                        var dir = Path.Combine(podDirectory, "volumes", v.Name);
                        FileOwnership.CreateDirectory(dir, 0, 0, (UnixFileMode)0x1FF); // 0777, as the kubelet makes emptyDirs
                        VolumeOwnership.Apply(dir, sc.FsGroup, sc.FsGroupChangePolicy, readOnly: false);
                        result[v.Name] = dir;
                        break;
                    }

                case "persistentVolumeClaim":
                    result[v.Name] = Claim(ctx, pod.Namespace, v.ClaimName ?? "");
                    VolumeOwnership.Apply(result[v.Name], sc.FsGroup, sc.FsGroupChangePolicy, readOnly: false);
                    break;
                case "secret":
                case "configMap":
                    result[v.Name] = SourceFiles(ctx, pod.Namespace, v, Path.Combine(podDirectory, "volumes", v.Name));
                    // The kubelet always walks these (no change policy) and mounts them read-only: g+r only.
                    VolumeOwnership.Apply(result[v.Name], sc.FsGroup, null, readOnly: true);
                    break;
                default:
                    throw new ContainerConfigException($"volume {v.Name}: {v.Kind} volumes are not supported by the sandbox");
            }
        }

        return result;
    }

    /// <summary>ConfigMaps (the constant arrives with the API server's ResourceType additions).</summary>
    private static readonly ResourceType ConfigMaps = new("", "configmaps");

    /// <summary>The decoded data of a "secret" or "configMap" as text, or null when it is missing.</summary>
    public static IReadOnlyDictionary<string, string>? SourceText(IObjectStore store, string ns, string kind, string name) =>
        SourceData(store, ns, kind, name)?.ToDictionary(kv => kv.Key, kv => Encoding.UTF8.GetString(kv.Value), StringComparer.Ordinal);

    private static Dictionary<string, byte[]>? SourceData(IObjectStore store, string ns, string kind, string name)
    {
        var isSecret = kind == "secret";
        var s = store.Get(isSecret ? ResourceType.Secrets : ConfigMaps, ns, name);
        if (s is null)
        {
            return null;
        }

        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        // Secret data and ConfigMap binaryData are base64; ConfigMap data is plain text.
        if (s[isSecret ? "data" : "binaryData"] is JsonObject encoded)
        {
            foreach (var (k, v) in encoded)
            {
                result[k] = Convert.FromBase64String(v?.GetValue<string>() ?? "");
            }
        }

        if (!isSecret && s["data"] is JsonObject plain)
        {
            foreach (var (k, v) in plain)
            {
                result[k] = Encoding.UTF8.GetBytes(v?.GetValue<string>() ?? "");
            }
        }

        // The API server folds stringData into data; read it too in case an object came in through the store directly.
        if (isSecret && s["stringData"] is JsonObject sd)
        {
            foreach (var (k, v) in sd)
            {
                result[k] = Encoding.UTF8.GetBytes(v?.GetValue<string>() ?? "");
            }
        }

        return result;
    }

    private static string Claim(NodeContext ctx, string ns, string claim)
    {
        var pvc = ctx.Store.Get(ResourceType.PersistentVolumeClaims, ns, claim)
            ?? throw new ContainerConfigException($"persistentvolumeclaim \"{claim}\" not found");
        var spec = pvc["spec"] as JsonObject;
        var size = spec?["resources"]?["requests"]?["storage"]?.ToString()
            ?? throw new ContainerConfigException($"persistentvolumeclaim \"{claim}\" requests no storage size");
        long bytes;
        try
        {
            bytes = StorageQuantity.Bytes(size);
        }
        catch (FormatException e)
        {
            throw new ContainerConfigException($"persistentvolumeclaim \"{claim}\": {e.Message}");
        }

        string dir;
        try
        {
            dir = ClaimVolume.Ensure(VolumesRoot(ctx.Options), ns, claim, bytes);
        }
        catch (InvalidOperationException e)
        {
            throw new ContainerConfigException($"MountVolume.SetUp failed for volume of claim \"{claim}\" : {e.Message}");
        }

        if (PodModel.Str(pvc["status"] as JsonObject, "phase") != "Bound")
        {
            pvc["status"] = new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = spec?["accessModes"]?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
                ["capacity"] = new JsonObject
                {
                    ["storage"] = size,
                },
            };
            try
            {
                ctx.Store.ReplaceStatus(ResourceType.PersistentVolumeClaims, ns, pvc);
            }
            catch (StoreException)
            {
                // Changed or gone meanwhile; the next pod start binds it again. The directory is what matters.
            }
        }

        return dir;
    }

    private static string SourceFiles(NodeContext ctx, string ns, VolumeModel v, string dir)
    {
        var data = SourceData(ctx.Store, ns, v.Kind, v.SecretName ?? "");
        if (data is null && !v.Optional)
        {
            throw new ContainerConfigException($"MountVolume.SetUp failed for volume \"{v.Name}\" : {v.Kind} \"{v.SecretName}\" not found");
        }

        data ??= new Dictionary<string, byte[]>();
        FileOwnership.CreateDirectory(dir, 0, 0, (UnixFileMode)0x1ED); // 0755
        var files = v.Items is null
            ? data.Keys.Select(k => (Key: k, Path: k, Mode: (int?)null)).ToList()
            : v.Items.Select(i => (i.Key, i.Path, i.Mode)).ToList();
        foreach (var (key, rel, mode) in files)
        {
            if (!data.TryGetValue(key, out var bytes))
            {
                throw new ContainerConfigException($"{v.Kind} \"{v.SecretName}\" has no key \"{key}\"");
            }

            if (rel.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(rel))
            {
                throw new ContainerConfigException($"volume {v.Name}: invalid item path {rel}");
            }

            var path = Path.Combine(dir, rel);
            var parent = Path.GetDirectoryName(path)!;
            if (parent != dir)
            {
                FileOwnership.CreateDirectory(parent, 0, 0, (UnixFileMode)0x1ED);
            }

            // Root's: a 0600 file (a .pgpass, a key) is readable to a non-root container only through fsGroup, as on a cluster.
            File.WriteAllBytes(path, bytes);
            FileModes.Set(path, (UnixFileMode)(mode ?? v.DefaultMode));
        }

        return dir;
    }
}
