using System.Text.Json.Nodes;
using static PgReplica.Sandbox.Api.PodSecurity.CheckText;

namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>
/// The checks on the kernel security profiles a pod names: AppArmor, SELinux, seccomp
/// (k8s.io/pod-security-admission policy/check_*.go, with their messages).
/// </summary>
internal static class ProfileChecks
{
    private const string AppArmorAnnotationPrefix = "container.apparmor.security.beta.kubernetes.io/";
    private const string SeccompPodAnnotation = "seccomp.security.alpha.kubernetes.io/pod";
    private const string SeccompContainerAnnotationPrefix = "container.seccomp.security.alpha.kubernetes.io/";

    /// <summary>Baseline: AppArmor profiles only RuntimeDefault or Localhost (fields), runtime/default or localhost/* (annotations).</summary>
    public static CheckResult AppArmorProfile(PodView pod)
    {
        static bool Bad(JsonObject? sc) => sc?["appArmorProfile"] is JsonObject p && PodView.Text(p["type"]) is not ("RuntimeDefault" or "Localhost");
        static string Type(JsonObject sc) => PodView.Text(sc["appArmorProfile"]!["type"]) ?? "";
        var onPod = Bad(pod.SecurityContext);
        var containers = pod.Containers.Where(c => Bad(c.SecurityContext)).ToList();
        var annotations = Sorted(pod.Annotations
            .Where(a => a.Key.StartsWith(AppArmorAnnotationPrefix, StringComparison.Ordinal)
                && !(a.Value.Length == 0 || a.Value == "runtime/default" || a.Value.StartsWith("localhost/", StringComparison.Ordinal)))
            .Select(a => $"{a.Key}={FieldError.Quote(a.Value)}"));
        if (!onPod && containers.Count == 0 && annotations.Count == 0)
        {
            return CheckResult.Allowed;
        }

        var values = Sorted((onPod ? [Type(pod.SecurityContext!)] : Array.Empty<string>()).Concat(containers.Select(c => Type(c.SecurityContext!))))
            .Concat(annotations).ToList();
        var setters = Setters(onPod, containers.Select(c => c.Name).ToList(), annotations.Count == 0 ? null : Plural(annotations.Count, "annotation", "annotations"));
        return CheckResult.Forbidden(Plural(values.Count, "forbidden AppArmor profile", "forbidden AppArmor profiles"),
            $"{setters} must not set AppArmor profile type to {JoinQuote(values)}");
    }

    /// <summary>Baseline: seLinuxOptions with no user or role and a type from <paramref name="allowedTypes"/> ("" included).</summary>
    public static Func<PodView, CheckResult> SeLinuxOptions(IReadOnlySet<string> allowedTypes) => pod =>
    {
        var badTypes = new List<string>();
        bool setUser = false, setRole = false;
        bool Bad(JsonObject? sc)
        {
            if (sc?["seLinuxOptions"] is not JsonObject options)
            {
                return false;
            }

            var type = PodView.Text(options["type"]) ?? "";
            var badType = !allowedTypes.Contains(type);
            if (badType)
            {
                badTypes.Add(type);
            }

            var user = !string.IsNullOrEmpty(PodView.Text(options["user"]));
            var role = !string.IsNullOrEmpty(PodView.Text(options["role"]));
            setUser |= user;
            setRole |= role;
            return badType || user || role;
        }

        var onPod = Bad(pod.SecurityContext);
        var containers = pod.ContainersWhere(Bad);
        if (!onPod && containers.Count == 0)
        {
            return CheckResult.Allowed;
        }

        var what = new List<string>();
        if (badTypes.Count > 0)
        {
            var types = Sorted(badTypes);
            what.Add($"{Plural(types.Count, "type", "types")} {JoinQuote(types)}");
        }

        if (setUser)
        {
            what.Add("user may not be set");
        }

        if (setRole)
        {
            what.Add("role may not be set");
        }

        return CheckResult.Forbidden("seLinuxOptions", $"{Setters(onPod, containers)} set forbidden securityContext.seLinuxOptions: {string.Join("; ", what)}");
    };

    /// <summary>Baseline before 1.19: the seccomp annotations name runtime/default, docker/default or localhost/* only.</summary>
    public static CheckResult SeccompAnnotations(PodView pod)
    {
        var keys = new[] { SeccompPodAnnotation }.Concat(pod.Containers.Select(c => SeccompContainerAnnotationPrefix + c.Name));
        var bad = Sorted(keys
            .Where(k => pod.Annotations.TryGetValue(k, out var v) && !(v is "runtime/default" or "docker/default" || v.StartsWith("localhost/", StringComparison.Ordinal)))
            .Select(k => $"{k}={FieldError.Quote(pod.Annotations[k])}"));
        return bad.Count == 0
            ? CheckResult.Allowed
            : CheckResult.Forbidden("seccompProfile", $"forbidden {Plural(bad.Count, "annotation", "annotations")} {string.Join(", ", bad)}");
    }

    /// <summary>Baseline from 1.19: a seccompProfile, where set, is RuntimeDefault or Localhost.</summary>
    public static CheckResult BaselineSeccomp(PodView pod) => Seccomp(pod, required: false);

    /// <summary>Restricted: the pod or every container sets seccompProfile RuntimeDefault or Localhost.</summary>
    public static CheckResult RestrictedSeccomp(PodView pod) => Seccomp(pod, required: true);

    private static CheckResult Seccomp(PodView pod, bool required)
    {
        static string? Type(JsonObject? sc) => sc?["seccompProfile"] is JsonObject p ? PodView.Text(p["type"]) ?? "" : null;
        static bool Valid(string type) => type is "RuntimeDefault" or "Localhost";
        var podType = Type(pod.SecurityContext);
        var badValues = new List<string>();
        var onPod = podType is not null && !Valid(podType);
        if (onPod)
        {
            badValues.Add(podType!);
        }

        var explicitlyBad = pod.Containers.Where(c => Type(c.SecurityContext) is { } t && !Valid(t)).ToList();
        badValues.AddRange(explicitlyBad.Select(c => Type(c.SecurityContext)!));
        if (onPod || explicitlyBad.Count > 0)
        {
            return CheckResult.Forbidden("seccompProfile",
                $"{Setters(onPod, explicitlyBad.Select(c => c.Name).ToList())} must not set securityContext.seccompProfile.type to {JoinQuote(Sorted(badValues))}");
        }

        // Unset on a container is fine when the pod sets a valid profile.
        var unset = required && podType is null ? pod.ContainersWhere(sc => Type(sc) is null) : [];
        return unset.Count == 0
            ? CheckResult.Allowed
            : CheckResult.Forbidden("seccompProfile",
                $"pod or {Containers(unset)} must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
    }
}
