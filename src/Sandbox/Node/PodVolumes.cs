using System.Text;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Node;

/// <summary>
/// Makes a pod's volumes exist on disk: emptyDir under the pod directory, a PVC as a directory per claim under
/// &lt;root&gt;/volumes/&lt;ns&gt;/&lt;claim&gt; that outlives the pod (and is marked Bound), a Secret as files.
/// </summary>
internal static class PodVolumes
{
    /// <summary>Directory of a claim's data.</summary>
    public static string ClaimDirectory(NodeOptions options, string ns, string claim) =>
        Path.Combine(options.RootDirectory, "volumes", ns, claim);

    /// <summary>Host path of every volume; throws <see cref="ContainerConfigException"/> while a Secret or PVC is missing.</summary>
    public static Dictionary<string, string> Prepare(NodeContext ctx, PodModel pod, string podDirectory)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var v in pod.Volumes)
        {
            switch (v.Kind)
            {
                case "emptyDir":
                    {
                        var dir = Path.Combine(podDirectory, "volumes", v.Name);
                        ctx.User.CreateOwnedDirectory(dir, (UnixFileMode)0x1FF); // 0777, as the kubelet makes emptyDirs
                        result[v.Name] = dir;
                        break;
                    }

                case "persistentVolumeClaim":
                    result[v.Name] = Claim(ctx, pod.Namespace, v.ClaimName ?? "");
                    break;
                case "secret":
                    result[v.Name] = SecretFiles(ctx, pod.Namespace, v, Path.Combine(podDirectory, "volumes", v.Name));
                    break;
                default:
                    throw new ContainerConfigException($"volume {v.Name}: {v.Kind} volumes are not supported by the sandbox");
            }
        }

        return result;
    }

    /// <summary>A Secret's decoded value, or null when the Secret or key is missing.</summary>
    public static string? SecretValue(IObjectStore store, string ns, string secret, string key)
    {
        var data = SecretData(store, ns, secret);
        return data is not null && data.TryGetValue(key, out var bytes) ? Encoding.UTF8.GetString(bytes) : null;
    }

    private static Dictionary<string, byte[]>? SecretData(IObjectStore store, string ns, string name)
    {
        var s = store.Get(ResourceType.Secrets, ns, name);
        if (s is null)
        {
            return null;
        }

        var result = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        if (s["data"] is JsonObject data)
        {
            foreach (var (k, v) in data)
            {
                result[k] = Convert.FromBase64String(v?.GetValue<string>() ?? "");
            }
        }

        // The API server folds stringData into data; read it too in case an object came in through the store directly.
        if (s["stringData"] is JsonObject sd)
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
        var dir = ClaimDirectory(ctx.Options, ns, claim);
        if (!Directory.Exists(dir))
        {
            // 0700 and owned by postgres: initdb and pg_basebackup accept it as a data directory.
            ctx.User.CreateOwnedDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        if (PodModel.Str(pvc["status"] as JsonObject, "phase") != "Bound")
        {
            var spec = pvc["spec"] as JsonObject;
            pvc["status"] = new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = spec?["accessModes"]?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
                ["capacity"] = new JsonObject
                {
                    ["storage"] = spec?["resources"]?["requests"]?["storage"]?.DeepClone() ?? "1Gi",
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

    private static string SecretFiles(NodeContext ctx, string ns, VolumeModel v, string dir)
    {
        var data = SecretData(ctx.Store, ns, v.SecretName ?? "");
        if (data is null && !v.Optional)
        {
            throw new ContainerConfigException($"MountVolume.SetUp failed for volume \"{v.Name}\" : secret \"{v.SecretName}\" not found");
        }

        data ??= new Dictionary<string, byte[]>();
        ctx.User.CreateOwnedDirectory(dir, (UnixFileMode)0x1ED); // 0755
        var files = v.Items is null
            ? data.Keys.Select(k => (Key: k, Path: k, Mode: (int?)null)).ToList()
            : v.Items.Select(i => (i.Key, i.Path, i.Mode)).ToList();
        foreach (var (key, rel, mode) in files)
        {
            if (!data.TryGetValue(key, out var bytes))
            {
                throw new ContainerConfigException($"secret \"{v.SecretName}\" has no key \"{key}\"");
            }

            if (rel.Contains("..", StringComparison.Ordinal) || Path.IsPathRooted(rel))
            {
                throw new ContainerConfigException($"volume {v.Name}: invalid item path {rel}");
            }

            var path = Path.Combine(dir, rel);
            var parent = Path.GetDirectoryName(path)!;
            if (parent != dir)
            {
                ctx.User.CreateOwnedDirectory(parent, (UnixFileMode)0x1ED);
            }

            File.WriteAllBytes(path, bytes);
            // Owned by the run-as user so that 0600 files (a .pgpass, a key) stay readable to it.
            ctx.User.Own(path);
            FileModes.Set(path, (UnixFileMode)(mode ?? v.DefaultMode));
        }

        return dir;
    }
}
