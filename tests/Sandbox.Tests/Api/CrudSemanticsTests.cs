using System.Text.Json.Nodes;
using static PgReplica.Sandbox.Tests.Api.TestObjects;

namespace PgReplica.Sandbox.Tests.Api;

public sealed class CrudSemanticsTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync()
    {
        _s = await TestSandbox.StartAsync();
        await _s.InstallThingsCrdAsync();
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task ResourceVersionsComeFromOneCounterAcrossKinds()
    {
        var (_, cm) = await _s.PostAsync(ConfigMaps, ConfigMap("rv-a"));
        var (_, thing) = await _s.PostAsync(Things, Thing("rv-b"));
        var (_, cm2) = await _s.PostAsync(ConfigMaps, ConfigMap("rv-c"));
        var rvs = new[] { cm, thing, cm2 }.Select(o => long.Parse(Rv(o))).ToArray();
        Assert.True(rvs[0] < rvs[1] && rvs[1] < rvs[2], string.Join(",", rvs));
        var (_, list) = await _s.GetAsync(ConfigMaps);
        Assert.Equal(rvs[2].ToString(), list!["metadata"]!["resourceVersion"]!.GetValue<string>());
    }

    [Fact]
    public async Task CreateSetsUidTimestampGenerationAndDropsStatus()
    {
        var thing = Thing("fresh");
        thing["status"] = new JsonObject { ["phase"] = "Forged" };
        var (code, created) = await _s.PostAsync(Things, thing);
        Assert.Equal(201, code);
        Assert.True(Guid.TryParse(created!["metadata"]!["uid"]!.GetValue<string>(), out _));
        Assert.True(DateTimeOffset.TryParse(created["metadata"]!["creationTimestamp"]!.GetValue<string>(), out var at));
        Assert.True(Math.Abs((DateTimeOffset.UtcNow - at).TotalMinutes) < 5);
        Assert.Equal(1, Generation(created));
        Assert.Null(created["status"]);
        var (again, body) = await _s.PostAsync(Things, Thing("fresh"));
        Assert.Equal(409, again);
        Assert.Equal("AlreadyExists", body!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task StalePutConflicts()
    {
        var (_, created) = await _s.PostAsync(ConfigMaps, ConfigMap("stale"));
        var first = (JsonObject)created!.DeepClone();
        first["data"]!["k"] = "first";
        Assert.Equal(200, (await _s.PutAsync($"{ConfigMaps}/stale", first)).Code);
        var second = (JsonObject)created.DeepClone();
        second["data"]!["k"] = "second";
        var (code, status) = await _s.PutAsync($"{ConfigMaps}/stale", second);
        Assert.Equal(409, code);
        Assert.Equal("Status", status!["kind"]!.GetValue<string>());
        Assert.Equal("Conflict", status["reason"]!.GetValue<string>());
        Assert.Equal(409, status["code"]!.GetValue<int>());
        Assert.Contains("the object has been modified", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task CustomResourcePutWithoutResourceVersionIsInvalid()
    {
        await _s.PostAsync(Things, Thing("norv"));
        var (code, status) = await _s.PutAsync($"{Things}/norv", Thing("norv", 5));
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
        Assert.Contains("metadata.resourceVersion", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task GenerationFollowsSpecOnlyAndStatusGoesThroughItsSubresource()
    {
        var (_, obj) = await _s.PostAsync(Things, Thing("gen"));
        Assert.Equal(1, Generation(obj));

        var labelled = (JsonObject)obj!.DeepClone();
        labelled["metadata"]!["labels"] = new JsonObject { ["a"] = "b" };
        (_, obj) = await _s.PutAsync($"{Things}/gen", labelled);
        Assert.Equal(1, Generation(obj));

        var withStatus = (JsonObject)obj!.DeepClone();
        withStatus["status"] = new JsonObject { ["phase"] = "Ignored" };
        (_, obj) = await _s.PutAsync($"{Things}/gen", withStatus);
        Assert.Equal(1, Generation(obj));
        Assert.Null(obj!["status"]);

        var statusUpdate = (JsonObject)obj.DeepClone();
        statusUpdate["status"] = new JsonObject { ["phase"] = "Ready", ["replicas"] = 2 };
        statusUpdate["spec"]!["color"] = "ignored-on-status";
        (_, obj) = await _s.PutAsync($"{Things}/gen/status", statusUpdate);
        Assert.Equal(1, Generation(obj));
        Assert.Equal("Ready", obj!["status"]!["phase"]!.GetValue<string>());
        Assert.Equal("red", obj["spec"]!["color"]!.GetValue<string>());

        (_, obj) = await _s.MergePatchAsync($"{Things}/gen", JsonNode.Parse("""{"spec":{"color":"green"}}""")!);
        Assert.Equal(2, Generation(obj));
        Assert.Equal("Ready", obj!["status"]!["phase"]!.GetValue<string>());
    }

    [Fact]
    public async Task ScaleSubresourceReadsAndWritesReplicas()
    {
        await _s.PostAsync(Things, Thing("sc", 3));
        var (code, scale) = await _s.GetAsync($"{Things}/sc/scale");
        Assert.Equal(200, code);
        Assert.Equal("autoscaling/v1", scale!["apiVersion"]!.GetValue<string>());
        Assert.Equal("Scale", scale["kind"]!.GetValue<string>());
        Assert.Equal(3, scale["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(0, scale["status"]!["replicas"]!.GetValue<int>());
        (code, scale) = await _s.MergePatchAsync($"{Things}/sc/scale", JsonNode.Parse("""{"spec":{"replicas":6}}""")!);
        Assert.Equal(200, code);
        Assert.Equal(6, scale!["spec"]!["replicas"]!.GetValue<int>());
        var (_, thing) = await _s.GetAsync($"{Things}/sc");
        Assert.Equal(6, thing!["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal(2, Generation(thing));
    }

    [Fact]
    public async Task ScaleWritesAreValidatedAgainstTheSchema()
    {
        await _s.PostAsync(Things, Thing("sv", 3));
        var (code, status) = await _s.MergePatchAsync($"{Things}/sv/scale", JsonNode.Parse("""{"spec":{"replicas":-1}}""")!);
        Assert.Equal(422, code);
        Assert.Equal("Thing.example.com \"sv\" is invalid: spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0",
            status!["message"]!.GetValue<string>());
        Assert.Equal(3, (await _s.GetAsync($"{Things}/sv")).Body!["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public async Task LabelSelectorsFilterLists()
    {
        await _s.PostAsync(ConfigMaps, ConfigMap("l1", new JsonObject { ["app"] = "db", ["tier"] = "a" }));
        await _s.PostAsync(ConfigMaps, ConfigMap("l2", new JsonObject { ["app"] = "db", ["tier"] = "b" }));
        await _s.PostAsync(ConfigMaps, ConfigMap("l3", new JsonObject { ["app"] = "web" }));

        async Task<string> Names(string selector)
        {
            var (code, list) = await _s.GetAsync($"{ConfigMaps}?labelSelector={Uri.EscapeDataString(selector)}");
            Assert.Equal(200, code);
            return string.Join(",", list!["items"]!.AsArray().Select(i => i!["metadata"]!["name"]!.GetValue<string>()).Where(n => n.StartsWith('l')));
        }

        Assert.Equal("l1,l2", await Names("app=db"));
        Assert.Equal("l1,l2", await Names("app==db"));
        Assert.Equal("l3", await Names("app!=db"));
        Assert.Equal("l2", await Names("tier in (b,c),app=db,app!=x"));
        Assert.Equal("l3", await Names("app in (web, x)"));
        Assert.Equal("l1,l3", await Names("tier notin (b)"));
        Assert.Equal("l1,l2", await Names("tier"));
        Assert.Equal("l3", await Names("app,!tier"));
        Assert.Equal(400, (await _s.GetAsync($"{ConfigMaps}?labelSelector={Uri.EscapeDataString("tier in b")}")).Code);
    }

    [Fact]
    public async Task FieldSelectorsMatchNameAndNamespace()
    {
        await _s.PostAsync("/api/v1/namespaces", new JsonObject { ["metadata"] = new JsonObject { ["name"] = "other" } });
        await _s.PostAsync(ConfigMaps, ConfigMap("f1"));
        await _s.PostAsync("/api/v1/namespaces/other/configmaps", ConfigMap("f1"));
        await _s.PostAsync(ConfigMaps, ConfigMap("f2"));

        var (_, byName) = await _s.GetAsync("/api/v1/configmaps?fieldSelector=metadata.name%3Df1");
        Assert.Equal(2, byName!["items"]!.AsArray().Count);
        var (_, both) = await _s.GetAsync("/api/v1/configmaps?fieldSelector=metadata.name%3Df1,metadata.namespace%3Dother");
        var only = Assert.Single(both!["items"]!.AsArray());
        Assert.Equal("other", only!["metadata"]!["namespace"]!.GetValue<string>());
        var (_, notF1) = await _s.GetAsync($"{ConfigMaps}?fieldSelector=metadata.name!%3Df1");
        Assert.DoesNotContain(notF1!["items"]!.AsArray(), i => i!["metadata"]!["name"]!.GetValue<string>() == "f1");
    }

    [Fact]
    public async Task ErrorsAreStatusObjects()
    {
        var (code, status) = await _s.GetAsync($"{Things}/missing");
        Assert.Equal(404, code);
        Assert.Equal("Failure", status!["status"]!.GetValue<string>());
        Assert.Equal("NotFound", status["reason"]!.GetValue<string>());
        Assert.Equal("things.example.com \"missing\" not found", status["message"]!.GetValue<string>());
        Assert.Equal("example.com", status["details"]!["group"]!.GetValue<string>());
        Assert.Equal("things", status["details"]!["kind"]!.GetValue<string>());

        (code, status) = await _s.PostAsync("/api/v1/namespaces/nowhere/configmaps", ConfigMap("x"));
        Assert.Equal(404, code);
        Assert.Equal("namespaces \"nowhere\" not found", status!["message"]!.GetValue<string>());

        (code, status) = await _s.SendAsync(HttpMethod.Patch, $"{Things}/missing", JsonNode.Parse("{}"), "application/strategic-merge-patch+json");
        Assert.Equal(415, code);
        Assert.Equal("UnsupportedMediaType", status!["reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task PatchesApplyToTheCurrentObject()
    {
        await _s.PostAsync(ConfigMaps, ConfigMap("p1"));
        var (code, patched) = await _s.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/p1",
            JsonNode.Parse("""[{"op":"test","path":"/data/k","value":"v"},{"op":"add","path":"/data/n","value":"1"}]"""), "application/json-patch+json");
        Assert.Equal(200, code);
        Assert.Equal("1", patched!["data"]!["n"]!.GetValue<string>());
        (code, var status) = await _s.SendAsync(HttpMethod.Patch, $"{ConfigMaps}/p1",
            JsonNode.Parse("""[{"op":"test","path":"/data/k","value":"other"},{"op":"remove","path":"/data/n"}]"""), "application/json-patch+json");
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
        (code, patched) = await _s.MergePatchAsync($"{ConfigMaps}/p1", JsonNode.Parse("""{"data":{"k":null}}""")!);
        Assert.Equal(200, code);
        Assert.Null(patched!["data"]!["k"]);
        (code, _) = await _s.MergePatchAsync($"{ConfigMaps}/p1", JsonNode.Parse("""{"metadata":{"resourceVersion":"1"},"data":{"z":"1"}}""")!);
        Assert.Equal(409, code);
    }

    [Fact]
    public async Task SecretsTurnStringDataIntoData()
    {
        var secret = JsonNode.Parse("""{"apiVersion":"v1","kind":"Secret","metadata":{"name":"sd"},"stringData":{"password":"hunter2"}}""")!;
        var (code, created) = await _s.PostAsync(Secrets, secret);
        Assert.Equal(201, code);
        Assert.Equal(Convert.ToBase64String("hunter2"u8.ToArray()), created!["data"]!["password"]!.GetValue<string>());
        Assert.Null(created["stringData"]);
        Assert.Equal("Opaque", created["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Upper", false)]
    [InlineData("with_underscore", false)]
    [InlineData("-leading", false)]
    [InlineData("dots.are.fine", true)]
    [InlineData("orders-1", true)]
    public async Task NamesMustBeDnsSubdomains(string name, bool valid)
    {
        var (code, body) = await _s.PostAsync(ConfigMaps, ConfigMap(name));
        Assert.Equal(valid ? 201 : 422, code);
        if (!valid)
        {
            Assert.Equal("metadata.name", body!["details"]!["causes"]![0]!["field"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task GenerateNameMakesAUniqueName()
    {
        var cm = ConfigMap("");
        ((JsonObject)cm["metadata"]!).Remove("name");
        cm["metadata"]!["generateName"] = "gen-";
        var (_, a) = await _s.PostAsync(ConfigMaps, cm);
        var (_, b) = await _s.PostAsync(ConfigMaps, cm);
        var names = new[] { a, b }.Select(o => o!["metadata"]!["name"]!.GetValue<string>()).ToList();
        Assert.All(names, n => Assert.Matches("^gen-[a-z0-9]{5}$", n));
        Assert.NotEqual(names[0], names[1]);
    }
}
