using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Tests.Api;

public sealed class DiscoveryTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync()
    {
        _s = await TestSandbox.StartAsync();
        await _s.InstallThingsCrdAsync();
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private static List<string> Names(JsonNode list) => list["resources"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()).ToList();

    [Fact]
    public async Task LegacyResourceListsIncludeSubresources()
    {
        var core = JsonNode.Parse(await _s.Http.GetStringAsync("/api/v1"))!;
        Assert.Equal("v1", core["groupVersion"]!.GetValue<string>());
        Assert.Contains("pods/log", Names(core));
        Assert.Contains("pods/exec", Names(core));
        Assert.Contains("pods/status", Names(core));
        Assert.Contains("namespaces", Names(core));

        var things = JsonNode.Parse(await _s.Http.GetStringAsync("/apis/example.com/v1"))!;
        var scale = things["resources"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "things/scale")!;
        Assert.Equal("autoscaling", scale["group"]!.GetValue<string>());
        Assert.Equal("v1", scale["version"]!.GetValue<string>());
        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());
        var main = things["resources"]![0]!;
        Assert.Equal("th", main["shortNames"]![0]!.GetValue<string>());
        Assert.Equal("all", main["categories"]![0]!.GetValue<string>());

        var groups = JsonNode.Parse(await _s.Http.GetStringAsync("/apis"))!;
        Assert.Equal("APIGroupList", groups["kind"]!.GetValue<string>());
        Assert.Contains(groups["groups"]!.AsArray(), g => g!["name"]!.GetValue<string>() == "example.com");
        Assert.Equal(404, (int)(await _s.Http.GetAsync("/apis/nothing.example.com/v1")).StatusCode);
    }

    [Fact]
    public async Task AggregatedDiscoveryAnswersWithItsContentType()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/apis");
        request.Headers.TryAddWithoutValidation("Accept",
            "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json");
        using var response = await _s.Http.SendAsync(request);
        Assert.Equal("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", response.Content.Headers.ContentType!.ToString().Replace(" ", "", StringComparison.Ordinal));
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("APIGroupDiscoveryList", list["kind"]!.GetValue<string>());
        var group = list["items"]!.AsArray().Single(i => i!["metadata"]!["name"]?.GetValue<string>() == "example.com")!;
        var things = group["versions"]![0]!["resources"]![0]!;
        Assert.Equal("things", things["resource"]!.GetValue<string>());
        Assert.Equal("Namespaced", things["scope"]!.GetValue<string>());
        var subresources = things["subresources"]!.AsArray().Select(s => s!["subresource"]!.GetValue<string>()).ToList();
        Assert.Equal(["status", "scale"], subresources);
        Assert.Equal("Scale", things["subresources"]![1]!["responseKind"]!["kind"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenApiV3AdvertisesFieldValidationOnEveryPatch()
    {
        var index = JsonNode.Parse(await _s.Http.GetStringAsync("/openapi/v3"))!;
        var url = index["paths"]!["apis/example.com/v1"]!["serverRelativeURL"]!.GetValue<string>();
        Assert.StartsWith("/openapi/v3/apis/example.com/v1?hash=", url);
        var doc = JsonNode.Parse(await _s.Http.GetStringAsync(url))!;
        var patch = doc["paths"]!["/apis/example.com/v1/namespaces/{namespace}/things/{name}"]!["patch"]!;
        Assert.Equal("Thing", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation");
        Assert.NotNull(index["paths"]!["api/v1"]);
    }
}
