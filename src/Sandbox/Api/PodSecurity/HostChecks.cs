using System.Text.Json.Nodes;
using static PgReplica.Sandbox.Api.PodSecurity.CheckText;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>
/// The checks on what a pod may share with its node: host namespaces, volumes, sysctls, Windows host processes
/// (k8s.io/pod-security-admission policy/check_*.go, with their messages).
/// </summary>
internal static class HostChecks
{
    // The inline volume sources restricted allows; every other source is named in the message, in this order.
    private static readonly string[] AllowedVolumeSources =
        ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    private static readonly string[] RestrictedVolumeSources =
    [
        "hostPath", "gcePersistentDisk", "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder",
        "cephfs", "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "photonPersistentDisk", "portworxVolume", "scaleIO",
        "storageos",
    ];

    /// <summary>Baseline: no hostNetwork, hostPID or hostIPC.</summary>
    public static CheckResult HostNamespaces(PodView pod)
    {
        var shared = new[] { "hostNetwork", "hostPID", "hostIPC" }.Where(pod.Flag).Select(f => f + "=true").ToList();
        return shared.Count == 0 ? CheckResult.Allowed : CheckResult.Forbidden("host namespaces", string.Join(", ", shared));
    }

    /// <summary>Baseline: no hostPath volume.</summary>
    public static CheckResult HostPathVolumes(PodView pod)
    {
        var bad = pod.Volumes.Where(v => v["hostPath"] is not null).Select(Name).ToList();
        return bad.Count == 0 ? CheckResult.Allowed : CheckResult.Forbidden("hostPath volumes", $"{Plural(bad.Count, "volume", "volumes")} {JoinQuote(bad)}");
    }

    /// <summary>Restricted: volumes only of the allowed sources (this replaces the hostPath check).</summary>
    public static CheckResult RestrictedVolumes(PodView pod)
    {
        var bad = pod.Volumes.Where(v => !AllowedVolumeSources.Any(s => v[s] is not null)).ToList();
        if (bad.Count == 0)
        {
            return CheckResult.Allowed;
        }

        var types = Sorted(bad.Select(v => RestrictedVolumeSources.FirstOrDefault(s => v[s] is not null) ?? "unknown"));
        return CheckResult.Forbidden("restricted volume types",
            $"{Plural(bad.Count, "volume", "volumes")} {JoinQuote(bad.Select(Name))} {Plural(bad.Count, "uses", "use")} " +
            $"{Plural(types.Count, "restricted volume type", "restricted volume types")} {JoinQuote(types)}");
    }

    /// <summary>Baseline: only the sysctls <paramref name="safe"/> holds (the set grows with the version).</summary>
    public static Func<PodView, CheckResult> Sysctls(IReadOnlySet<string> safe) => pod =>
    {
        var bad = PodView.Objects(pod.SecurityContext?["sysctls"]).Select(s => PodView.Text(s["name"]) ?? "").Where(n => !safe.Contains(n)).ToList();
        return bad.Count == 0 ? CheckResult.Allowed : CheckResult.Forbidden("forbidden sysctls", string.Join(", ", bad));
    };

    /// <summary>Baseline: no windowsOptions.hostProcess=true, on the pod or a container.</summary>
    public static CheckResult WindowsHostProcess(PodView pod)
    {
        static bool HostProcess(JsonObject? sc) => PodView.Bool(sc?["windowsOptions"]?["hostProcess"]) == true;
        var containers = pod.ContainersWhere(HostProcess);
        var onPod = HostProcess(pod.SecurityContext);
        return containers.Count == 0 && !onPod
            ? CheckResult.Allowed
            : CheckResult.Forbidden("hostProcess", $"{Setters(onPod, containers)} must not set securityContext.windowsOptions.hostProcess=true");
    }

    private static string Name(JsonObject volume) => PodView.Text(volume["name"]) ?? "";
}
