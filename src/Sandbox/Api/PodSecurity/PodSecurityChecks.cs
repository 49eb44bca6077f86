using static PgReplica.Sandbox.Api.PodSecurity.PodSecurityLevel;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>One check: its id (the order it runs in), its level, and what it is from each version on.</summary>
internal sealed record PodSecurityCheck(string Id, PodSecurityLevel Level, IReadOnlyList<VersionedCheck> Versions);

/// <summary>
/// A check as it is from <see cref="Since"/> (v1.Since) on; a restricted check may replace a baseline one
/// (<see cref="Overrides"/>) at the versions where it applies.
/// </summary>
internal sealed record VersionedCheck(int Since, Func<PodView, CheckResult> Evaluate, string? Overrides = null);

/// <summary>
/// The Pod Security Standards as Kubernetes 1.32 checks them: every check of k8s.io/pod-security-admission's policy
/// package, with the versions its behaviour changed at.
/// </summary>
internal static class PodSecurityChecks
{
    // Each version's additions to the sets of safe sysctls and SELinux types.
    private static readonly (int Since, string[] Added)[] SafeSysctls =
    [
        (0, ["kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range", "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start"]),
        (27, ["net.ipv4.ip_local_reserved_ports"]),
        (29, ["net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout", "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes"]),
        (32, ["net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem"]),
    ];

    private static readonly (int Since, string[] Added)[] SeLinuxTypes =
    [
        (0, ["", "container_t", "container_init_t", "container_kvm_t"]),
        (31, ["container_engine_t"]),
    ];

    /// <summary>Every check.</summary>
    public static readonly IReadOnlyList<PodSecurityCheck> All =
    [
        new("appArmorProfile", Baseline, [new(0, ProfileChecks.AppArmorProfile)]),
        new("capabilities_baseline", Baseline, [new(0, ContainerChecks.BaselineCapabilities)]),
        new("hostNamespaces", Baseline, [new(0, HostChecks.HostNamespaces)]),
        new("hostPathVolumes", Baseline, [new(0, HostChecks.HostPathVolumes)]),
        new("hostPorts", Baseline, [new(0, ContainerChecks.HostPorts)]),
        new("privileged", Baseline, [new(0, ContainerChecks.Privileged)]),
        new("procMount", Baseline, [new(0, ContainerChecks.ProcMount)]),
        new("seLinuxOptions", Baseline, Growing(SeLinuxTypes, ProfileChecks.SeLinuxOptions)),
        new("seccompProfile_baseline", Baseline, [new(0, ProfileChecks.SeccompAnnotations), new(19, ProfileChecks.BaselineSeccomp)]),
        new("sysctls", Baseline, Growing(SafeSysctls, HostChecks.Sysctls)),
        new("windowsHostProcess", Baseline, [new(0, HostChecks.WindowsHostProcess)]),
        new("allowPrivilegeEscalation", Restricted,
            [new(8, ContainerChecks.AllowPrivilegeEscalation), new(25, ExceptWindows(ContainerChecks.AllowPrivilegeEscalation))]),
        new("capabilities_restricted", Restricted,
        [
            new(22, ContainerChecks.RestrictedCapabilities, "capabilities_baseline"),
            new(25, ExceptWindows(ContainerChecks.RestrictedCapabilities), "capabilities_baseline"),
        ]),
        new("restrictedVolumes", Restricted, [new(0, HostChecks.RestrictedVolumes, "hostPathVolumes")]),
        new("runAsNonRoot", Restricted, [new(0, UserChecks.RunAsNonRoot)]),
        new("runAsUser", Restricted, [new(23, UserChecks.RunAsUser)]),
        new("seccompProfile_restricted", Restricted,
        [
            new(19, ProfileChecks.RestrictedSeccomp, "seccompProfile_baseline"),
            new(25, ExceptWindows(ProfileChecks.RestrictedSeccomp), "seccompProfile_baseline"),
        ]),
    ];

    /// <summary>The newest version any check changed at; later versions (and latest) evaluate as this one.</summary>
    public static readonly int NewestVersion = All.Max(c => c.Versions[^1].Since);

    // From 1.25 the API refuses these fields on Windows pods, so the checks let such pods through.
    private static Func<PodView, CheckResult> ExceptWindows(Func<PodView, CheckResult> check) =>
        pod => pod.IsWindows ? CheckResult.Allowed : check(pod);

    // A check over an allowed set that grows: one version per addition, each with everything added so far.
    private static List<VersionedCheck> Growing((int Since, string[] Added)[] additions, Func<IReadOnlySet<string>, Func<PodView, CheckResult>> check) =>
        additions.Select((a, i) => new VersionedCheck(a.Since,
            check(additions.Take(i + 1).SelectMany(x => x.Added).ToHashSet(StringComparer.Ordinal)))).ToList();
}
