using System.Globalization;
using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Store;

/// <summary>
/// Keeps a store's objects as JSON files under a state directory (<c>&lt;group|core&gt;/&lt;plural&gt;/&lt;namespace|_cluster&gt;/&lt;name&gt;.json</c>)
/// so a restarted sandbox finds them again.
/// </summary>
public sealed class StoreStateFiles : IDisposable
{
    private const string ClusterScope = "_cluster";
    private const string CoreGroup = "core";
    private readonly string _directory;
    private IDisposable? _subscription;

    /// <summary>Uses <paramref name="directory"/> (created if missing).</summary>
    public StoreStateFiles(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <summary>Reads every saved object into the store, then saves every later change.</summary>
    public void LoadInto(InMemoryObjectStore store)
    {
        var rvFile = Path.Combine(_directory, "resourceVersion");
        var savedRv = File.Exists(rvFile) && long.TryParse(File.ReadAllText(rvFile).Trim(), out var r) ? r : 0;
        foreach (var groupDir in Directory.EnumerateDirectories(_directory))
        {
            var group = Path.GetFileName(groupDir) == CoreGroup ? "" : Path.GetFileName(groupDir);
            foreach (var pluralDir in Directory.EnumerateDirectories(groupDir))
            {
                var resource = new ResourceType(group, Path.GetFileName(pluralDir));
                foreach (var file in Directory.EnumerateFiles(pluralDir, "*.json", SearchOption.AllDirectories))
                {
                    if (JsonNode.Parse(File.ReadAllText(file)) is JsonObject obj)
                    {
                        store.Restore(resource, obj, savedRv);
                    }
                }
            }
        }

        store.AdvanceTo(savedRv);
        _subscription = store.Subscribe(Save);
    }

    /// <summary>Deletes every saved object.</summary>
    public static void Wipe(string directory)
    {
        if (Directory.Exists(directory))
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    /// <inheritdoc />
    public void Dispose() => _subscription?.Dispose();

    private void Save(StoreEvent ev)
    {
        var meta = ev.Object["metadata"] as JsonObject;
        var name = meta?["name"]?.GetValue<string>();
        if (name is null)
        {
            return;
        }

        var ns = meta!["namespace"]?.GetValue<string>() ?? ClusterScope;
        var dir = Path.Combine(_directory, ev.Resource.Group.Length == 0 ? CoreGroup : ev.Resource.Group, ev.Resource.Plural, ns);
        var file = Path.Combine(dir, name + ".json");
        if (ev.Type == StoreEventType.Deleted)
        {
            File.Delete(file);
        }
        else
        {
            Directory.CreateDirectory(dir);
            WriteAtomically(file, ev.Object.ToJsonString());
        }

        WriteAtomically(Path.Combine(_directory, "resourceVersion"), ev.ResourceVersion.ToString(CultureInfo.InvariantCulture));
    }

    private static void WriteAtomically(string path, string text)
    {
        var tmp = path + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, path, overwrite: true);
    }
}
