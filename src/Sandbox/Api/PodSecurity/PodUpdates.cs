using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>Which pod updates Pod Security evaluates again; the rest (labels, status, finalizers) pass as they are.</summary>
internal static class PodUpdates
{
    // Annotation prefixes the profile checks read.
    private static readonly string[] CheckedAnnotations =
        ["container.apparmor.security.beta.kubernetes.io/", "seccomp.security.alpha.kubernetes.io/pod", "container.seccomp.security.alpha.kubernetes.io/"];

    /// <summary>
    /// Upstream's rule: containers added or removed, an image changed, an ephemeral container added. Upstream needs no
    /// more because the API refuses changes to the other fields the checks read; the sandbox does not, so a change to
    /// any of them counts as well.
    /// </summary>
    public static bool IsSignificant(PodView pod, PodView old)
    {
        IEnumerable<ContainerView> In(PodView p, string list) => p.Containers.Where(c => c.List == list);
        bool Changed(string list) =>
            In(pod, list).Count() != In(old, list).Count() || In(pod, list).Zip(In(old, list)).Any(p => p.First.Image != p.Second.Image);
        var ephemeralChanged = In(pod, "ephemeralContainers")
            .Any(c => In(old, "ephemeralContainers").FirstOrDefault(o => o.Name == c.Name) is not { } before || before.Image != c.Image);
        return Changed("containers") || Changed("initContainers") || ephemeralChanged || !JsonNode.DeepEquals(Checked(pod), Checked(old));
    }

    // Everything the checks read, as one JSON value.
    private static JsonObject Checked(PodView pod) => new()
    {
        ["annotations"] = new JsonObject(pod.Annotations
            .Where(a => CheckedAnnotations.Any(p => a.Key.StartsWith(p, StringComparison.Ordinal)))
            .Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
        ["spec"] = new JsonObject(new[] { "securityContext", "hostNetwork", "hostPID", "hostIPC", "os", "volumes" }
            .Select(f => KeyValuePair.Create(f, pod.Spec(f)?.DeepClone()))),
        ["containers"] = new JsonArray(pod.Containers.Select(c => (JsonNode)new JsonObject
        {
            ["list"] = c.List,
            ["name"] = c.Name,
            ["securityContext"] = c.SecurityContext?.DeepClone(),
            ["ports"] = new JsonArray(c.Ports.Select(p => (JsonNode)p.DeepClone()).ToArray()),
        }).ToArray()),
    };
}
