using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>The parts of a pod the Pod Security checks read, over its JSON (absent and null fields alike are unset).</summary>
internal sealed class PodView
{
    private readonly JsonObject? _spec;

    /// <summary>Reads the pod's metadata and spec.</summary>
    public PodView(JsonObject pod)
    {
        _spec = pod["spec"] as JsonObject;
        Annotations = (pod["metadata"]?["annotations"] as JsonObject ?? [])
            .Where(a => Text(a.Value) is not null)
            .ToDictionary(a => a.Key, a => Text(a.Value)!, StringComparer.Ordinal);
        // Init containers, containers, ephemeral containers: the order the messages name them in.
        Containers = new[] { "initContainers", "containers", "ephemeralContainers" }
            .SelectMany(list => (_spec?[list] as JsonArray ?? []).OfType<JsonObject>().Select(c => (List: list, Container: c)))
            .Select(c => new ContainerView(c.List, Text(c.Container["name"]) ?? "", Text(c.Container["image"]),
                c.Container["securityContext"] as JsonObject, Objects(c.Container["ports"])))
            .ToList();
    }

    /// <summary>metadata.annotations with string values.</summary>
    public IReadOnlyDictionary<string, string> Annotations { get; }

    /// <summary>Every container the pod runs, in the order the messages name them.</summary>
    public IReadOnlyList<ContainerView> Containers { get; }

    /// <summary>spec.securityContext, or null.</summary>
    public JsonObject? SecurityContext => Spec("securityContext") as JsonObject;

    /// <summary>spec.volumes.</summary>
    public IReadOnlyList<JsonObject> Volumes => Objects(Spec("volumes"));

    /// <summary>Whether spec.os.name is windows (some restricted checks exempt such pods from 1.25).</summary>
    public bool IsWindows => Text(Spec("os")?["name"]) == "windows";

    /// <summary>A field of spec, or null.</summary>
    public JsonNode? Spec(string field) => _spec?[field];

    /// <summary>The names of the containers whose securityContext (null when unset) the predicate calls bad.</summary>
    public IReadOnlyList<string> ContainersWhere(Func<JsonObject?, bool> bad) =>
        Containers.Where(c => bad(c.SecurityContext)).Select(c => c.Name).ToList();

    /// <summary>Whether a boolean spec field (hostNetwork, hostPID, hostIPC) is true.</summary>
    public bool Flag(string field) => Bool(Spec(field)) == true;

    /// <summary>A JSON boolean, or null.</summary>
    public static bool? Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    /// <summary>A JSON string, or null.</summary>
    public static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    /// <summary>The strings of a JSON array (capability lists).</summary>
    public static IReadOnlyList<string> Texts(JsonNode? node) => (node as JsonArray ?? []).Select(Text).OfType<string>().ToList();

    /// <summary>The objects of a JSON array.</summary>
    public static IReadOnlyList<JsonObject> Objects(JsonNode? node) => (node as JsonArray ?? []).OfType<JsonObject>().ToList();
}

/// <summary>One container as the checks see it: the spec list it is in (initContainers, containers, ephemeralContainers), name, image, securityContext, ports.</summary>
internal sealed record ContainerView(string List, string Name, string? Image, JsonObject? SecurityContext, IReadOnlyList<JsonObject> Ports);
