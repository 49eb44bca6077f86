using PgReplica.Sandbox.Tests.Api;

namespace PgReplica.Sandbox.Tests.PodSecurity;

/// <summary>Pod Security as the real kubectl 1.32 shows it: labelling a namespace, refusals, warnings.</summary>
public sealed class PodSecurityKubectlTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync() => _s = await TestSandbox.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private static string Violations(string container) =>
        $"allowPrivilegeEscalation != false (container \"{container}\" must set securityContext.allowPrivilegeEscalation=false), " +
        $"unrestricted capabilities (container \"{container}\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
        $"runAsNonRoot != true (pod or container \"{container}\" must set securityContext.runAsNonRoot=true), " +
        $"seccompProfile (pod or container \"{container}\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    [Fact]
    public async Task LabellingEnforceRestrictedWarnsAboutRunningPodsThenRunIsRefusedAndAHardenedApplyIsCreated()
    {
        Assert.Contains("namespace/lab created", await _s.KubectlOkAsync("create", "namespace", "lab"));
        Assert.Contains("pod/web created", await _s.KubectlOkAsync("-n", "lab", "run", "web", "--image=postgres:17"));

        var (exit, stdout, stderr) = await _s.KubectlAsync(["label", "ns", "lab", "pod-security.kubernetes.io/enforce=restricted"]);
        Assert.Equal((0, "namespace/lab labeled\n"), (exit, stdout));
        Assert.Equal(
            "Warning: existing pods in namespace \"lab\" violate the new PodSecurity enforce level \"restricted:latest\"\n" +
            "Warning: web: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile\n",
            stderr);

        (exit, stdout, stderr) = await _s.KubectlAsync(["-n", "lab", "run", "bare", "--image=postgres:17"]);
        Assert.Equal((1, ""), (exit, stdout));
        Assert.Equal($"Error from server (Forbidden): pods \"bare\" is forbidden: violates PodSecurity \"restricted:latest\": {Violations("bare")}\n", stderr);

        var file = Path.Combine(_s.Directory, "hardened.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: v1
            kind: Pod
            metadata: {name: db, namespace: lab}
            spec:
              securityContext: {runAsNonRoot: true, runAsUser: 999, seccompProfile: {type: RuntimeDefault}}
              volumes: [{name: data, emptyDir: {}}]
              containers:
              - name: postgres
                image: postgres:17
                volumeMounts: [{name: data, mountPath: /var/lib/postgresql/data}]
                securityContext: {allowPrivilegeEscalation: false, capabilities: {drop: [ALL]}}
            """);
        Assert.Equal("pod/db created\n", await _s.KubectlOkAsync("apply", "-f", file));
        Assert.Contains("web", await _s.KubectlOkAsync("-n", "lab", "get", "pods", "-o", "name"));
    }

    [Fact]
    public async Task WarnModePrintsWarningsWhileBaselineEnforceAdmits()
    {
        await _s.KubectlOkAsync("create", "namespace", "lab");
        await _s.KubectlOkAsync("label", "ns", "lab", "pod-security.kubernetes.io/enforce=baseline", "pod-security.kubernetes.io/warn=restricted");
        var (exit, stdout, stderr) = await _s.KubectlAsync(["-n", "lab", "run", "web", "--image=postgres:17"]);
        Assert.Equal((0, "pod/web created\n"), (exit, stdout));
        Assert.Equal($"Warning: would violate PodSecurity \"restricted:latest\": {Violations("web")}\n", stderr);

        (exit, _, stderr) = await _s.KubectlAsync(["-n", "lab", "run", "root", "--image=postgres:17", "--privileged"]);
        Assert.Equal(1, exit);
        Assert.Equal(
            "Error from server (Forbidden): pods \"root\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"root\" must not set securityContext.privileged=true)\n",
            stderr);
    }
}
