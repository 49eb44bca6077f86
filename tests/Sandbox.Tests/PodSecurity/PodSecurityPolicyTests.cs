using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api;
using PgReplica.Sandbox.Api.PodSecurity;

namespace PgReplica.Sandbox.Tests.PodSecurity;

/// <summary>The Pod Security checks as a pure policy: which run at a level and version, in what order, and what they say.</summary>
public sealed class PodSecurityPolicyTests
{
    private static readonly LevelVersion RestrictedLatest = new(PodSecurityLevel.Restricted, PolicyVersion.Latest);
    private static readonly LevelVersion BaselineLatest = new(PodSecurityLevel.Baseline, PolicyVersion.Latest);

    private static string Details(LevelVersion policy, string podYaml) => PodSecurityEvaluator.Evaluate(policy, Pod(podYaml)).Details;

    private static LevelVersion Restricted(int minor) => new(PodSecurityLevel.Restricted, new PolicyVersion(minor));

    private static LevelVersion Baseline(int minor) => new(PodSecurityLevel.Baseline, new PolicyVersion(minor));

    [Fact]
    public void ABarePodFailsRestrictedWithTheFourReasonsInUpstreamsOrder() => Assert.Equal(
        "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), " +
        "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
        "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), " +
        "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")",
        Details(RestrictedLatest, "containers: [{name: c, image: postgres:17}]"));

    [Fact]
    public void AHardenedPodPassesRestrictedAndAnyPodPassesPrivileged()
    {
        var hardened = Pod(Hardened);
        Assert.True(PodSecurityEvaluator.Evaluate(RestrictedLatest, hardened).Allowed);
        Assert.True(PodSecurityEvaluator.Evaluate(LevelVersion.Privileged, Pod("hostNetwork: true\ncontainers: [{name: c, securityContext: {privileged: true}}]")).Allowed);
    }

    [Fact]
    public void BaselineNamesEachHostAccessAndPrivilegeInCheckIdOrder() => Assert.Equal(
        "non-default capabilities (containers \"a\", \"b\" must not include \"NET_RAW\", \"SYS_ADMIN\" in securityContext.capabilities.add), " +
        "host namespaces (hostNetwork=true, hostIPC=true), " +
        "hostPath volumes (volume \"h\"), " +
        "hostPort (container \"a\" uses hostPorts 5432, 80), " +
        "privileged (container \"b\" must not set securityContext.privileged=true), " +
        "forbidden sysctls (kernel.msgmax)",
        Details(BaselineLatest, """
            hostNetwork: true
            hostIPC: true
            securityContext: {sysctls: [{name: kernel.msgmax, value: "1"}, {name: net.ipv4.tcp_rmem, value: "1"}]}
            volumes: [{name: h, hostPath: {path: /}}, {name: e, emptyDir: {}}]
            initContainers: [{name: a, ports: [{containerPort: 1, hostPort: 80}, {containerPort: 2, hostPort: 5432}], securityContext: {capabilities: {add: [NET_RAW, CHOWN]}}}]
            containers: [{name: b, securityContext: {privileged: true, capabilities: {add: [SYS_ADMIN]}}}]
            """));

    [Fact]
    public void RestrictedReplacesTheBaselineChecksItOverrides() => Assert.Equal(
        "unrestricted capabilities (containers \"init\", \"c\" must not include \"SYS_ADMIN\" in securityContext.capabilities.add), " +
        "restricted volume types (volumes \"h\", \"n\" use restricted volume types \"hostPath\", \"nfs\")",
        Details(RestrictedLatest, Hardened
            .Replace("drop: [ALL]", "drop: [ALL], add: [NET_BIND_SERVICE, SYS_ADMIN]", StringComparison.Ordinal)
            .Replace("volumes: [", "volumes: [{name: h, hostPath: {path: /}}, {name: n, nfs: {server: x, path: /}}, ", StringComparison.Ordinal)));

    [Fact]
    public void ExplicitlyBadValuesAreNamedWithWhoSetThem() => Assert.Equal(
        "runAsNonRoot != true (pod and containers \"init\", \"c\" must not set securityContext.runAsNonRoot=false), " +
        "runAsUser=0 (containers \"init\", \"c\" must not set runAsUser=0), " +
        "seccompProfile (pod must not set securityContext.seccompProfile.type to \"Unconfined\")",
        Details(RestrictedLatest, Hardened
            .Replace("runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}", "runAsNonRoot: false, seccompProfile: {type: Unconfined}", StringComparison.Ordinal)
            .Replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: false, runAsNonRoot: false, runAsUser: 0", StringComparison.Ordinal)));

    [Fact]
    public void OlderVersionsRunOnlyTheChecksThatExistedThen()
    {
        var bare = "containers: [{name: c}]";
        Assert.Equal("allowPrivilegeEscalation != false, runAsNonRoot != true, seccompProfile", Reasons(Restricted(21), bare));
        Assert.Equal("runAsNonRoot != true", Reasons(Restricted(7), bare));
        // Capabilities: before 1.22 restricted only holds adds to the baseline set.
        Assert.Equal("non-default capabilities", Reasons(Restricted(21), Hardened.Replace("drop: [ALL]", "add: [SYS_ADMIN]", StringComparison.Ordinal)));
        // runAsUser=0 counts from 1.23.
        var root = Hardened.Replace("runAsNonRoot: true,", "runAsNonRoot: true, runAsUser: 0,", StringComparison.Ordinal);
        Assert.Equal("", Reasons(Restricted(22), root));
        Assert.Equal("runAsUser=0", Reasons(Restricted(23), root));
    }

    [Fact]
    public void WindowsPodsAreExemptFromLinuxOnlyFieldsFrom125()
    {
        var windows = "os: {name: windows}\nsecurityContext: {runAsNonRoot: true}\ncontainers: [{name: c}]";
        Assert.Equal("allowPrivilegeEscalation != false, unrestricted capabilities, seccompProfile", Reasons(Restricted(24), windows));
        Assert.Equal("", Reasons(Restricted(25), windows));
    }

    [Fact]
    public void AllowedSetsGrowWithTheVersionAndLatestIsTheNewest()
    {
        var sysctl = "securityContext: {sysctls: [{name: net.ipv4.tcp_rmem, value: '4096'}]}\ncontainers: [{name: c}]";
        Assert.Equal("forbidden sysctls", Reasons(Baseline(31), sysctl));
        Assert.Equal("", Reasons(Baseline(32), sysctl));
        Assert.Equal("", Reasons(BaselineLatest, sysctl));
        Assert.Equal("", Reasons(Baseline(40), sysctl));
        var selinux = "securityContext: {seLinuxOptions: {type: container_engine_t}}\ncontainers: [{name: c}]";
        Assert.Equal("seLinuxOptions (pod set forbidden securityContext.seLinuxOptions: type \"container_engine_t\")",
            Details(Baseline(30), selinux));
        Assert.Equal("", Reasons(BaselineLatest, selinux));
    }

    [Fact]
    public void ProfilesNameTheirBadValuesAndAnnotations()
    {
        Assert.Equal(
            "forbidden AppArmor profiles (pod and container \"c\" and annotation must not set AppArmor profile type to " +
            "\"Unconfined\", \"container.apparmor.security.beta.kubernetes.io/c=\"unconfined\"\"), " +
            "procMount (container \"c\" must not set securityContext.procMount to \"Unmasked\"), " +
            "seLinuxOptions (container \"c\" set forbidden securityContext.seLinuxOptions: user may not be set; role may not be set)",
            Details(BaselineLatest, """
                metadata: {annotations: {container.apparmor.security.beta.kubernetes.io/c: unconfined}}
                spec:
                  securityContext: {appArmorProfile: {type: Unconfined}}
                  containers: [{name: c, securityContext: {appArmorProfile: {type: Unconfined}, procMount: Unmasked, seLinuxOptions: {user: u, role: r}}}]
                """));
        var annotated = "metadata: {annotations: {seccomp.security.alpha.kubernetes.io/pod: unconfined}}\nspec: {containers: [{name: c}]}";
        Assert.Equal("seccompProfile (forbidden annotation seccomp.security.alpha.kubernetes.io/pod=\"unconfined\")",
            Details(Baseline(18), annotated));
        Assert.Equal("", Reasons(BaselineLatest, annotated));
    }

    [Fact]
    public void NamespaceLabelsGiveEachModeAndWarnFollowsAStricterEnforce()
    {
        var (policy, errors) = NamespacePolicy.FromLabels(Labels(("enforce", "baseline"), ("enforce-version", "v1.29")));
        Assert.Empty(errors);
        Assert.Equal(("baseline:v1.29", "privileged:latest", "baseline:v1.29"), (policy.Enforce.ToString(), policy.Audit.ToString(), policy.Warn.ToString()));
        (policy, _) = NamespacePolicy.FromLabels(Labels(("enforce", "baseline"), ("warn", "restricted"), ("audit", "restricted"), ("audit-version", "v1.30")));
        Assert.Equal(("baseline:latest", "restricted:v1.30", "restricted:latest"), (policy.Enforce.ToString(), policy.Audit.ToString(), policy.Warn.ToString()));
        Assert.True(NamespacePolicy.FromLabels(null).Policy.FullyPrivileged);
    }

    [Fact]
    public void BadLabelsAreFieldErrorsAndEnforceFailsClosed()
    {
        var (policy, errors) = NamespacePolicy.FromLabels(Labels(("enforce", "strict"), ("warn", "loose"), ("audit-version", "1.30")));
        Assert.Equal(
        [
            "metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
            "metadata.labels[pod-security.kubernetes.io/audit-version]: Invalid value: \"1.30\": must be \"latest\" or \"v1.x\"",
            "metadata.labels[pod-security.kubernetes.io/warn]: Invalid value: \"loose\": must be one of privileged, baseline, restricted",
        ], errors.Select(e => e.ToString()));
        Assert.Equal(("restricted:latest", "privileged:latest", "privileged:latest"), (policy.Enforce.ToString(), policy.Audit.ToString(), policy.Warn.ToString()));
    }

    [Fact]
    public void OnlyUpdatesOfWhatTheChecksReadAreEvaluatedAgain()
    {
        var before = new PodView(Pod(Hardened));
        bool Significant(string yaml) => PodUpdates.IsSignificant(new PodView(Pod(yaml)), before);
        Assert.False(Significant(Hardened));
        Assert.False(Significant("metadata: {labels: {role: primary}, annotations: {note: x}}\nspec:\n" + Indent(Hardened)));
        Assert.True(Significant(Hardened.Replace("postgres:17", "postgres:16", StringComparison.Ordinal)));
        Assert.True(Significant(Hardened.Replace("allowPrivilegeEscalation: false", "allowPrivilegeEscalation: true", StringComparison.Ordinal)));
        Assert.True(Significant(Hardened.Replace("volumes: [", "volumes: [{name: x, emptyDir: {}}, ", StringComparison.Ordinal)));
    }

    [Fact]
    public void ExistingPodsAreGroupedByTheirReasons()
    {
        var bare = "containers: [{name: c}]";
        var pods = new[] { ("b", bare), ("a", bare), ("z", "hostPID: true\n" + bare), ("ok", Hardened) }
            .Select(p => { var pod = Pod(p.Item2); pod["metadata"] = new JsonObject { ["name"] = p.Item1 }; return pod; });
        Assert.Equal(
        [
            "existing pods in namespace \"lab\" violate the new PodSecurity enforce level \"restricted:latest\"",
            "a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile",
            "z: host namespaces, allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile",
        ], ExistingPods.Warnings("lab", RestrictedLatest, pods));
        Assert.Empty(ExistingPods.Warnings("lab", RestrictedLatest, [Pod(Hardened)]));
    }

    // A pod that meets restricted: non-root and RuntimeDefault on the pod, each container without privileges.
    private const string Hardened = """
        securityContext: {runAsNonRoot: true, seccompProfile: {type: RuntimeDefault}}
        volumes: [{name: data, persistentVolumeClaim: {claimName: d}}, {name: s, secret: {secretName: s}}, {name: t, emptyDir: {}}]
        initContainers: [{name: init, image: postgres:17, securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]
        containers: [{name: c, image: postgres:17, ports: [{containerPort: 5432}], securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}}]
        """;

    private static string Reasons(LevelVersion policy, string podYaml) => PodSecurityEvaluator.Evaluate(policy, Pod(podYaml)).Reasons;

    // A Pod from YAML: either its spec alone, or metadata and spec.
    private static JsonObject Pod(string yaml)
    {
        var node = (JsonObject)YamlJson.Parse(yaml)!;
        return node.ContainsKey("spec") ? node : new JsonObject { ["spec"] = node };
    }

    private static string Indent(string yaml) => string.Join("\n", yaml.Split('\n').Select(l => "  " + l));

    private static JsonObject Labels(params (string Mode, string Value)[] labels) =>
        new(labels.Select(l => KeyValuePair.Create(NamespacePolicy.Prefix + l.Mode, (JsonNode?)l.Value)));
}
