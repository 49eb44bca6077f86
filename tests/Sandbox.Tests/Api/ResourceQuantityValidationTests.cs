using PgReplica.Sandbox.Api;
using Xunit.Abstractions;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>Quantities a real API server refuses in pods and claims are refused here too, with its wording, through kubectl.</summary>
public sealed class ResourceQuantityValidationTests(ITestOutputHelper output) : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync() => _s = await TestSandbox.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Theory]
    [InlineData("1Gi", 1073741824d)]
    [InlineData("500m", 0.5)]
    [InlineData("1e9", 1e9)]
    [InlineData("-2", -2d)]
    [InlineData("1.5k", 1500d)]
    [InlineData("100Ei", 100d * (1L << 60))]
    [InlineData(".5", 0.5)]
    public void ParsesWhatApimachineryAccepts(string text, double value) => Assert.Equal(value, ResourceQuantity.TryParse(text));

    [Theory]
    [InlineData("1GB")]
    [InlineData("1 Gi")]
    [InlineData("Gi")]
    [InlineData("1iB")]
    [InlineData("")]
    [InlineData("999999999999999TB")]
    public void RefusesWhatApimachineryRefuses(string text) => Assert.Null(ResourceQuantity.TryParse(text));

    [Theory]
    [InlineData("limits: {memory: -1Gi}", "spec.containers[0].resources.limits[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0")]
    [InlineData("limits: {cpu: \"-2\"}", "spec.containers[0].resources.limits[cpu]: Invalid value: \"-2\": must be greater than or equal to 0")]
    [InlineData("{requests: {memory: 2Gi}, limits: {memory: 1Gi}}",
        "spec.containers[0].resources.requests: Invalid value: \"2Gi\": must be less than or equal to memory limit of 1Gi")]
    public async Task APodWithNegativeOrOverLimitResourcesIsRefused(string resources, string expected)
    {
        var yaml = $$"""
            apiVersion: v1
            kind: Pod
            metadata: {name: sized}
            spec:
              containers:
              - name: c
                image: busybox
                resources: {{(resources.StartsWith('{') ? resources : "{" + resources + "}")}}
            """;
        var (exit, stdout, stderr) = await _s.KubectlAsync(["apply", "-f", "-"], yaml);
        output.WriteLine(stderr);
        Assert.NotEqual(0, exit);
        Assert.Contains("is invalid: " + expected, stderr);
        Assert.DoesNotContain("created", stdout);
    }

    [Fact]
    public async Task APodWithinItsLimitsIsAccepted() =>
        await _s.KubectlOkAsync("run", "fits", "--image=busybox", "--overrides",
            """{"spec":{"containers":[{"name":"fits","image":"busybox","resources":{"requests":{"memory":"512Mi","cpu":"500m"},"limits":{"memory":"1Gi","cpu":"1"}}}]}}""");

    [Theory]
    [InlineData("\"0\"", "spec.resources.requests[storage]: Invalid value: \"0\": must be greater than zero")]
    [InlineData("-1Gi", "spec.resources.requests[storage]: Invalid value: \"-1Gi\": must be greater than or equal to 0")]
    public async Task AClaimOfNoStorageIsRefused(string size, string expected)
    {
        var yaml = $$"""
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: empty}
            spec:
              accessModes: [ReadWriteOnce]
              resources:
                requests:
                  storage: {{size}}
            """;
        var (exit, _, stderr) = await _s.KubectlAsync(["apply", "-f", "-"], yaml);
        output.WriteLine(stderr);
        Assert.NotEqual(0, exit);
        Assert.Contains(expected, stderr);
    }

    [Fact]
    public async Task AQuantityThatDoesNotParseIsABadRequest()
    {
        var (code, body) = await _s.SendAsync(HttpMethod.Post, "/api/v1/namespaces/default/persistentvolumeclaims", System.Text.Json.Nodes.JsonNode.Parse(
            """{"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"bad"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1GB"}}}}"""));
        Assert.Equal(400, code);
        Assert.Equal("BadRequest", body!["reason"]!.GetValue<string>());
        Assert.Contains("quantities must match the regular expression", body["message"]!.GetValue<string>());
    }
}
