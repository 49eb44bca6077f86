using System.Text.Json.Nodes;

namespace PgReplica.Operator.Tests.Manifests.Kustomize;

/// <summary>
/// The security settings the operator's pod must carry (the restricted Pod Security Standard plus a
/// read-only root filesystem with a writable /tmp); lists what a pod spec lacks.
/// </summary>
internal static class PodHardening
{
    /// <summary>Every rule a pod spec breaks, empty when it is hardened.</summary>
    public static IReadOnlyList<string> Violations(JsonNode podSpec)
    {
        var violations = new List<string>();
        var pod = podSpec["securityContext"];
        var podSeccomp = pod?["seccompProfile"]?["type"]?.GetValue<string>();
        var podNonRoot = pod?["runAsNonRoot"]?.GetValue<bool>() == true;
        var podUser = pod?["runAsUser"];
        if (podSpec["hostNetwork"]?.GetValue<bool>() == true || podSpec["hostPID"]?.GetValue<bool>() == true)
        {
            violations.Add("the pod shares host namespaces");
        }
        var volumes = podSpec["volumes"]?.AsArray() ?? [];
        foreach (var container in Containers(podSpec))
        {
            var name = container["name"]?.GetValue<string>();
            var context = container["securityContext"];
            if (!(context?["runAsNonRoot"]?.GetValue<bool>() ?? podNonRoot))
            {
                violations.Add($"{name}: runAsNonRoot is not true");
            }
            var user = context?["runAsUser"] ?? podUser;
            if (user is null || user.GetValueKind() != System.Text.Json.JsonValueKind.Number || user.GetValue<long>() == 0)
            {
                violations.Add($"{name}: runAsUser is not a numeric non-root uid");
            }
            if (context?["allowPrivilegeEscalation"]?.GetValue<bool>() != false)
            {
                violations.Add($"{name}: allowPrivilegeEscalation is not false");
            }
            if (context?["privileged"]?.GetValue<bool>() == true)
            {
                violations.Add($"{name}: privileged");
            }
            if (context?["readOnlyRootFilesystem"]?.GetValue<bool>() != true)
            {
                violations.Add($"{name}: readOnlyRootFilesystem is not true");
            }
            var drop = context?["capabilities"]?["drop"]?.AsArray().Select(c => c!.GetValue<string>()) ?? [];
            if (!drop.Contains("ALL"))
            {
                violations.Add($"{name}: capabilities do not drop ALL");
            }
            if (context?["capabilities"]?["add"]?.AsArray().Count > 0)
            {
                violations.Add($"{name}: capabilities are added");
            }
            if ((context?["seccompProfile"]?["type"]?.GetValue<string>() ?? podSeccomp) != "RuntimeDefault")
            {
                violations.Add($"{name}: seccompProfile is not RuntimeDefault");
            }
            if (!HasWritableTmp(container, volumes))
            {
                violations.Add($"{name}: /tmp is not a writable emptyDir");
            }
        }
        return violations;
    }

    /// <summary>Init containers and containers of a pod spec.</summary>
    public static IEnumerable<JsonNode> Containers(JsonNode podSpec) =>
        (podSpec["initContainers"]?.AsArray() ?? []).Concat(podSpec["containers"]?.AsArray() ?? []).OfType<JsonNode>();

    private static bool HasWritableTmp(JsonNode container, JsonArray volumes)
    {
        var mount = container["volumeMounts"]?.AsArray()
            .FirstOrDefault(m => m!["mountPath"]?.GetValue<string>() == "/tmp" && m["readOnly"]?.GetValue<bool>() != true);
        var volumeName = mount?["name"]?.GetValue<string>();
        return volumes.Any(v => v!["name"]?.GetValue<string>() == volumeName && v["emptyDir"] is not null);
    }
}
