using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Tests.Api;

namespace PgReplica.Sandbox.Tests.PodSecurity;

/// <summary>Pod Security admission through the sandbox's HTTP server: namespace labels, 403s, Warning headers, the audit log.</summary>
public sealed class PodSecurityAdmissionTests : IAsyncLifetime
{
    private const string Namespaces = "/api/v1/namespaces";
    private const string Pods = "/api/v1/namespaces/lab/pods";
    private const string Psa = "pod-security.kubernetes.io/";

    private const string BareViolations =
        "allowPrivilegeEscalation != false (container \"c\" must set securityContext.allowPrivilegeEscalation=false), " +
        "unrestricted capabilities (container \"c\" must set securityContext.capabilities.drop=[\"ALL\"]), " +
        "runAsNonRoot != true (pod or container \"c\" must set securityContext.runAsNonRoot=true), " +
        "seccompProfile (pod or container \"c\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")";

    private TestSandbox _s = null!;

    public async Task InitializeAsync() => _s = await TestSandbox.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task EnforceRefusesANonCompliantPodWithForbiddenAndAdmitsAHardenedOne()
    {
        await CreateNamespace((Psa + "enforce", "restricted"));
        var (code, status, warnings) = await Send(HttpMethod.Post, Pods, Pod("x"));
        Assert.Equal(403, code);
        Assert.Equal(("Status", "Failure", "Forbidden", 403), (Str(status, "kind"), Str(status, "status"), Str(status, "reason"), status!["code"]!.GetValue<int>()));
        Assert.Equal($"pods \"x\" is forbidden: violates PodSecurity \"restricted:latest\": {BareViolations}", Str(status, "message"));
        Assert.Equal(("x", "pods"), (Str(status["details"], "name"), Str(status["details"], "kind")));
        Assert.Empty(warnings);
        Assert.Equal(404, (await _s.GetAsync($"{Pods}/x")).Code);

        (code, _, warnings) = await Send(HttpMethod.Post, Pods, Pod("hardened", hardened: true));
        Assert.Equal(201, code);
        Assert.Empty(warnings);
    }

    [Fact]
    public async Task WarnAnswersWithWarningHeadersWhileABaselineEnforceAdmits()
    {
        await CreateNamespace((Psa + "enforce", "baseline"), (Psa + "warn", "restricted"));
        var (code, _, warnings) = await Send(HttpMethod.Post, Pods, Pod("x"));
        Assert.Equal(201, code);
        Assert.Equal([$"would violate PodSecurity \"restricted:latest\": {BareViolations}"], warnings);

        var privileged = Pod("p");
        privileged["spec"]!["containers"]![0]!["securityContext"] = new JsonObject { ["privileged"] = true };
        var (refused, status, none) = await Send(HttpMethod.Post, Pods, privileged);
        Assert.Equal(403, refused);
        Assert.Equal("pods \"p\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"c\" must not set securityContext.privileged=true)",
            Str(status, "message"));
        Assert.Empty(none);
    }

    [Fact]
    public async Task AuditViolationsGoToTheAuditLogAndTheWriteGoesThrough()
    {
        await CreateNamespace((Psa + "audit", "restricted"), (Psa + "audit-version", "v1.30"));
        var (code, _, warnings) = await Send(HttpMethod.Post, Pods, Pod("x"));
        Assert.Equal(201, code);
        Assert.Empty(warnings);
        var audited = File.ReadAllLines(Path.Combine(_s.Directory, "audit.log")).Select(l => JsonNode.Parse(l)!).Single();
        Assert.Equal(("audit.k8s.io/v1", "Event", "create"), (Str(audited, "apiVersion"), Str(audited, "kind"), Str(audited, "verb")));
        Assert.Equal(("pods", "lab", "x"), (Str(audited["objectRef"], "resource"), Str(audited["objectRef"], "namespace"), Str(audited["objectRef"], "name")));
        Assert.Equal("privileged:latest", Str(audited["annotations"], "pod-security.kubernetes.io/enforce-policy"));
        Assert.Equal($"would violate PodSecurity \"restricted:v1.30\": {BareViolations}", Str(audited["annotations"], "pod-security.kubernetes.io/audit-violations"));
    }

    [Fact]
    public async Task EnforcingLaterNamesRunningViolatorsKeepsThemAndChecksOnlyUpdatesThatMatter()
    {
        await CreateNamespace();
        foreach (var pod in new[] { Pod("b"), Pod("a"), Pod("ok", hardened: true) })
        {
            Assert.Equal(201, (await Send(HttpMethod.Post, Pods, pod)).Code);
        }

        var (code, _, warnings) = await Send(HttpMethod.Patch, $"{Namespaces}/lab", Labels((Psa + "enforce", "restricted")), "application/merge-patch+json");
        Assert.Equal(200, code);
        Assert.Equal(
        [
            "existing pods in namespace \"lab\" violate the new PodSecurity enforce level \"restricted:latest\"",
            "a (and 1 other pod): allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile",
        ], warnings);
        Assert.Equal(200, (await _s.GetAsync($"{Pods}/a")).Code);

        // A relabel leaves what the checks read alone; a new image is judged again.
        Assert.Equal(200, (await Send(HttpMethod.Patch, $"{Pods}/a", Labels(("role", "primary")), "application/merge-patch+json")).Code);
        var newImage = JsonNode.Parse("""{"spec": {"containers": [{"name": "c", "image": "postgres:16"}]}}""")!;
        var (refused, status, _) = await Send(HttpMethod.Patch, $"{Pods}/a", newImage, "application/strategic-merge-patch+json");
        Assert.Equal(403, refused);
        Assert.StartsWith("pods \"a\" is forbidden: violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false", Str(status, "message"));
        Assert.Equal(200, (await Send(HttpMethod.Patch, $"{Pods}/ok", newImage, "application/strategic-merge-patch+json")).Code);

        // Relaxing the level checks nothing.
        (code, _, warnings) = await Send(HttpMethod.Patch, $"{Namespaces}/lab", Labels((Psa + "enforce", "baseline")), "application/merge-patch+json");
        Assert.Equal((200, 0), (code, warnings.Count));
    }

    [Fact]
    public async Task NamespaceLabelsThatDoNotParseAreInvalid()
    {
        var (code, status, _) = await Send(HttpMethod.Post, Namespaces, Namespace((Psa + "enforce", "strict")));
        Assert.Equal(422, code);
        Assert.Equal(
            "Namespace \"lab\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: \"strict\": must be one of privileged, baseline, restricted",
            Str(status, "message"));

        await CreateNamespace();
        (code, status, _) = await Send(HttpMethod.Patch, $"{Namespaces}/lab", Labels((Psa + "warn-version", "1.30")), "application/merge-patch+json");
        Assert.Equal(422, code);
        Assert.Equal("metadata.labels[pod-security.kubernetes.io/warn-version]", Str(status!["details"]!["causes"]![0], "field"));
    }

    private async Task CreateNamespace(params (string Key, string Value)[] labels) =>
        Assert.Equal(201, (await Send(HttpMethod.Post, Namespaces, Namespace(labels))).Code);

    // One request; the Warning headers' texts, unquoted.
    private async Task<(int Code, JsonNode? Body, List<string> Warnings)> Send(HttpMethod method, string url, JsonNode body, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, url) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8) };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _s.Http.SendAsync(request);
        var warnings = response.Headers.TryGetValues("Warning", out var values)
            ? values.Select(v => v["299 - \"".Length..^1].Replace("\\\"", "\"", StringComparison.Ordinal)).ToList()
            : [];
        return ((int)response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync()), warnings);
    }

    private static JsonObject Namespace(params (string Key, string Value)[] labels)
    {
        var ns = Labels(labels);
        ns["apiVersion"] = "v1";
        ns["kind"] = "Namespace";
        ns["metadata"]!["name"] = "lab";
        return ns;
    }

    // A merge patch that sets labels.
    private static JsonObject Labels(params (string Key, string Value)[] labels) =>
        new() { ["metadata"] = new JsonObject { ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))) } };

    private static JsonObject Pod(string name, bool hardened = false)
    {
        var container = new JsonObject { ["name"] = "c", ["image"] = "postgres:17" };
        var spec = new JsonObject { ["containers"] = new JsonArray(container) };
        if (hardened)
        {
            spec["securityContext"] = new JsonObject { ["runAsNonRoot"] = true, ["seccompProfile"] = new JsonObject { ["type"] = "RuntimeDefault" } };
            container["securityContext"] = new JsonObject
            {
                ["allowPrivilegeEscalation"] = false,
                ["capabilities"] = new JsonObject { ["drop"] = new JsonArray("ALL") },
            };
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = new JsonObject { ["name"] = name }, ["spec"] = spec };
    }

    private static string? Str(JsonNode? node, string field) => node?[field]?.GetValue<string>();
}
