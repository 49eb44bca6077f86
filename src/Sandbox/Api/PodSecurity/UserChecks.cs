using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;
using static PgReplica.Sandbox.Api.PodSecurity.CheckText;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>The checks on the user containers run as: runAsNonRoot and runAsUser (k8s.io/pod-security-admission, with their messages).</summary>
internal static class UserChecks
{
    /// <summary>Restricted: runAsNonRoot=true on the pod or on every container, and false nowhere.</summary>
    public static CheckResult RunAsNonRoot(PodView pod)
    {
        var podValue = PodView.Bool(pod.SecurityContext?["runAsNonRoot"]);
        var explicitlyBad = pod.ContainersWhere(sc => PodView.Bool(sc?["runAsNonRoot"]) == false);
        if (podValue == false || explicitlyBad.Count > 0)
        {
            return CheckResult.Forbidden("runAsNonRoot != true", $"{Setters(podValue == false, explicitlyBad)} must not set securityContext.runAsNonRoot=false");
        }

        // A container that leaves it unset is covered only by the pod's runAsNonRoot=true.
        var implicitlyBad = podValue == true ? [] : pod.ContainersWhere(sc => PodView.Bool(sc?["runAsNonRoot"]) is null);
        return implicitlyBad.Count == 0
            ? CheckResult.Allowed
            : CheckResult.Forbidden("runAsNonRoot != true", $"pod or {Containers(implicitlyBad)} must set securityContext.runAsNonRoot=true");
    }

    /// <summary>Restricted from 1.23: runAsUser=0 nowhere.</summary>
    public static CheckResult RunAsUser(PodView pod)
    {
        static bool Root(JsonObject? sc) => JsonNumber.Long(sc?["runAsUser"]) == 0;
        var onPod = Root(pod.SecurityContext);
        var containers = pod.ContainersWhere(Root);
        return !onPod && containers.Count == 0
            ? CheckResult.Allowed
            : CheckResult.Forbidden("runAsUser=0", $"{Setters(onPod, containers)} must not set runAsUser=0");
    }
}
