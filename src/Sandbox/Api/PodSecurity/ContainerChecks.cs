using System.Globalization;
using PgReplica.Sandbox.Store;
using static PgReplica.Sandbox.Api.PodSecurity.CheckText;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>
/// The checks on what each container may do: privileged, capabilities, privilege escalation, /proc masks, host ports
/// (k8s.io/pod-security-admission policy/check_*.go, with their messages).
/// </summary>
internal static class ContainerChecks
{
    // What a container runtime grants by default; baseline lets a container add back only these.
    private static readonly HashSet<string> DefaultCapabilities = new(StringComparer.Ordinal)
    {
        "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP",
        "SETUID", "SYS_CHROOT",
    };

    /// <summary>Baseline: no securityContext.privileged=true.</summary>
    public static CheckResult Privileged(PodView pod)
    {
        var bad = pod.ContainersWhere(sc => PodView.Bool(sc?["privileged"]) == true);
        return bad.Count == 0 ? CheckResult.Allowed : CheckResult.Forbidden("privileged", $"{Containers(bad)} must not set securityContext.privileged=true");
    }

    /// <summary>Baseline: capabilities.add only from the runtime's default set.</summary>
    public static CheckResult BaselineCapabilities(PodView pod)
    {
        var added = Added(pod, c => !DefaultCapabilities.Contains(c));
        return added.Containers.Count == 0
            ? CheckResult.Allowed
            : CheckResult.Forbidden("non-default capabilities",
                $"{Containers(added.Containers)} must not include {JoinQuote(added.Capabilities)} in securityContext.capabilities.add");
    }

    /// <summary>Restricted: every container drops ALL and adds nothing but NET_BIND_SERVICE.</summary>
    public static CheckResult RestrictedCapabilities(PodView pod)
    {
        var missingDropAll = pod.ContainersWhere(sc => !PodView.Texts(sc?["capabilities"]?["drop"]).Contains("ALL"));
        var added = Added(pod, c => c != "NET_BIND_SERVICE");
        var details = new List<string>();
        if (missingDropAll.Count > 0)
        {
            details.Add($"{Containers(missingDropAll)} must set securityContext.capabilities.drop=[\"ALL\"]");
        }

        if (added.Containers.Count > 0)
        {
            details.Add($"{Containers(added.Containers)} must not include {JoinQuote(added.Capabilities)} in securityContext.capabilities.add");
        }

        return details.Count == 0 ? CheckResult.Allowed : CheckResult.Forbidden("unrestricted capabilities", string.Join("; ", details));
    }

    /// <summary>Restricted: securityContext.allowPrivilegeEscalation=false on every container.</summary>
    public static CheckResult AllowPrivilegeEscalation(PodView pod)
    {
        var bad = pod.ContainersWhere(sc => PodView.Bool(sc?["allowPrivilegeEscalation"]) != false);
        return bad.Count == 0
            ? CheckResult.Allowed
            : CheckResult.Forbidden("allowPrivilegeEscalation != false", $"{Containers(bad)} must set securityContext.allowPrivilegeEscalation=false");
    }

    /// <summary>Baseline: procMount unset or Default.</summary>
    public static CheckResult ProcMount(PodView pod)
    {
        var bad = pod.Containers.Where(c => c.SecurityContext?["procMount"] is { } m && PodView.Text(m) != "Default").ToList();
        return bad.Count == 0
            ? CheckResult.Allowed
            : CheckResult.Forbidden("procMount",
                $"{Containers(Names(bad))} must not set securityContext.procMount to {JoinQuote(Sorted(bad.Select(c => PodView.Text(c.SecurityContext!["procMount"]) ?? "")))}");
    }

    /// <summary>Baseline: no container port with a hostPort.</summary>
    public static CheckResult HostPorts(PodView pod)
    {
        static IEnumerable<long> Used(ContainerView c) => c.Ports.Select(p => JsonNumber.Long(p["hostPort"]) ?? 0).Where(p => p != 0);
        var bad = pod.Containers.Where(c => Used(c).Any()).ToList();
        if (bad.Count == 0)
        {
            return CheckResult.Allowed;
        }

        var ports = Sorted(bad.SelectMany(Used).Select(p => p.ToString(CultureInfo.InvariantCulture)));
        return CheckResult.Forbidden("hostPort",
            $"{Containers(Names(bad))} {Plural(bad.Count, "uses", "use")} {Plural(ports.Count, "hostPort", "hostPorts")} {string.Join(", ", ports)}");
    }

    private static List<string> Names(IEnumerable<ContainerView> containers) => containers.Select(c => c.Name).ToList();

    // The containers whose capabilities.add holds a forbidden capability, and those capabilities.
    private static (IReadOnlyList<string> Containers, IReadOnlyList<string> Capabilities) Added(PodView pod, Func<string, bool> forbidden)
    {
        var added = pod.Containers
            .Select(c => (c.Name, Forbidden: PodView.Texts(c.SecurityContext?["capabilities"]?["add"]).Where(forbidden).ToList()))
            .Where(c => c.Forbidden.Count > 0)
            .ToList();
        return (added.Select(c => c.Name).ToList(), Sorted(added.SelectMany(c => c.Forbidden)));
    }
}
