using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api;

namespace PgReplica.Sandbox.Tests.Api;

public sealed class PatchAndSelectorUnitTests
{
    private static JsonObject Obj(string json) => (JsonObject)JsonNode.Parse(json)!;

    [Fact]
    public void StrategicMergeMergesNamedListsByTheirKeys()
    {
        var pod = Obj("""
            {"metadata":{"finalizers":["a"]},"spec":{"containers":[
              {"name":"db","image":"pg:15","ports":[{"containerPort":5432,"name":"pg"}],"env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
               "volumeMounts":[{"mountPath":"/data","name":"d"}]},
              {"name":"side","image":"x"}]}}
            """);
        var patch = Obj("""
            {"metadata":{"finalizers":["b"]},"spec":{
              "$setElementOrder/containers":[{"name":"side"},{"name":"db"}],
              "containers":[
              {"name":"db","image":"pg:17","env":[{"name":"A","value":"9"},{"name":"B","$patch":"delete"}],
               "ports":[{"containerPort":5432,"protocol":"TCP"}],"volumeMounts":[{"mountPath":"/logs","name":"l"}]}]}}
            """);
        var result = StrategicMergePatch.Apply(pod, patch);
        Assert.Equal("""["a","b"]""", result["metadata"]!["finalizers"]!.ToJsonString());
        var containers = result["spec"]!["containers"]!.AsArray();
        Assert.Equal("side", containers[0]!["name"]!.GetValue<string>());
        var db = containers[1]!;
        Assert.Equal("pg:17", db["image"]!.GetValue<string>());
        Assert.Equal("""[{"name":"A","value":"9"}]""", db["env"]!.ToJsonString());
        Assert.Equal("""[{"containerPort":5432,"name":"pg","protocol":"TCP"}]""", db["ports"]!.ToJsonString());
        Assert.Equal(2, db["volumeMounts"]!.AsArray().Count);
        Assert.Equal("pg:15", pod["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void StrategicMergeHonoursDirectives()
    {
        var svc = Obj("""{"metadata":{"finalizers":["a","b"],"labels":{"x":"1","y":"2"}},"spec":{"ports":[{"port":80},{"port":443}],"selector":{"app":"a","tier":"b"}}}""");
        var patch = Obj("""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"labels":{"x":null}},
             "spec":{"ports":[{"port":443,"$patch":"delete"}],"selector":{"$patch":"replace","app":"z"}}}
            """);
        var result = StrategicMergePatch.Apply(svc, patch);
        Assert.Equal("""["b"]""", result["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""{"y":"2"}""", result["metadata"]!["labels"]!.ToJsonString());
        Assert.Equal("""[{"port":80}]""", result["spec"]!["ports"]!.ToJsonString());
        Assert.Equal("""{"app":"z"}""", result["spec"]!["selector"]!.ToJsonString());

        var retained = StrategicMergePatch.Apply(Obj("""{"spec":{"strategy":{"type":"A","rollingUpdate":{"x":1}}}}"""),
            Obj("""{"spec":{"strategy":{"$retainKeys":["type"],"type":"B"}}}"""));
        Assert.Equal("""{"type":"B"}""", retained["spec"]!["strategy"]!.ToJsonString());
    }

    [Fact]
    public void ListsWithoutAMergeKeyAreReplaced()
    {
        var result = StrategicMergePatch.Apply(Obj("""{"spec":{"containers":[{"name":"c","args":["a","b"]}]}}"""),
            Obj("""{"spec":{"containers":[{"name":"c","args":["z"]}]}}"""));
        Assert.Equal("""["z"]""", result["spec"]!["containers"]![0]!["args"]!.ToJsonString());
    }

    [Fact]
    public void JsonPatchFailsAsInvalidWhenATestOpFails()
    {
        var doc = JsonNode.Parse("""{"a":[1,2],"b":{"c":"d"}}""")!;
        var ok = JsonPatch.Apply(doc, (JsonArray)JsonNode.Parse("""
            [{"op":"test","path":"/b/c","value":"d"},{"op":"add","path":"/a/-","value":3},{"op":"move","from":"/b/c","path":"/e"},{"op":"replace","path":"/a/0","value":0}]
            """)!);
        Assert.Equal("""{"a":[0,2,3],"b":{},"e":"d"}""", ok.ToJsonString());
        var e = Assert.Throws<ApiException>(() => JsonPatch.Apply(doc, (JsonArray)JsonNode.Parse("""[{"op":"test","path":"/b/c","value":"x"}]""")!));
        Assert.Equal(422, e.Code);
        Assert.Throws<ApiException>(() => JsonPatch.Apply(doc, (JsonArray)JsonNode.Parse("""[{"op":"remove","path":"/nope"}]""")!));
    }

    [Fact]
    public void MergePatchDeletesWithNullAndReplacesLists()
    {
        var result = MergePatch.Apply(JsonNode.Parse("""{"a":{"b":1,"c":2},"l":[1,2]}"""), JsonNode.Parse("""{"a":{"b":null,"d":3},"l":[3]}"""));
        Assert.Equal("""{"a":{"c":2,"d":3},"l":[3]}""", result!.ToJsonString());
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("app=db", true)]
    [InlineData("app=web", false)]
    [InlineData("app!=web,tier", true)]
    [InlineData("tier in (a, b)", true)]
    [InlineData("tier notin (a)", false)]
    [InlineData("!missing", true)]
    [InlineData("!tier", false)]
    [InlineData("missing!=x", true)]
    public void LabelSelectorOperators(string selector, bool matches)
    {
        var obj = Obj("""{"metadata":{"labels":{"app":"db","tier":"a"}}}""");
        Assert.Equal(matches, LabelSelector.Parse(selector).Matches(obj));
    }

    [Theory]
    [InlineData(".spec.replicas", "3")]
    [InlineData("{.spec.replicas}", "3")]
    [InlineData(".status.conditions[?(@.type==\"Ready\")].status", "\"True\"")]
    [InlineData(".status.conditions[1].type", "\"Ready\"")]
    [InlineData(".spec.missing.deeper", null)]
    public void SimpleJsonPathEvaluatesPrinterColumnPaths(string path, string? expected)
    {
        var obj = Obj("""{"spec":{"replicas":3},"status":{"conditions":[{"type":"Progressing","status":"False"},{"type":"Ready","status":"True"}]}}""");
        Assert.Equal(expected, SimpleJsonPath.Evaluate(obj, path)?.ToJsonString());
    }

    [Theory]
    [InlineData(5, "5s")]
    [InlineData(119, "119s")]
    [InlineData(200, "3m20s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(10 * 3600, "10h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(30 * 86400, "30d")]
    public void AgesPrintLikeKubectl(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));
}
