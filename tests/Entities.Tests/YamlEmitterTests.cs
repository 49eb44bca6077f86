using System.Text.Json.Nodes;
using PgReplica.Entities.Crd;

namespace PgReplica.Entities.Tests;

public class YamlEmitterTests
{
    [Theory]
    [InlineData("plain text")]
    [InlineData("yes")]
    [InlineData("No")]
    [InlineData("on")]
    [InlineData("null")]
    [InlineData("~")]
    [InlineData("true")]
    [InlineData("1.0")]
    [InlineData("0/3000148")]
    [InlineData("4GB")]
    [InlineData("-1")]
    [InlineData(".inf")]
    [InlineData("a: b")]
    [InlineData("key:")]
    [InlineData("x #comment")]
    [InlineData("#x")]
    [InlineData("- item")]
    [InlineData("*alias")]
    [InlineData("!tag")]
    [InlineData("'quoted'")]
    [InlineData("\"dq\"")]
    [InlineData("")]
    [InlineData(" leading")]
    [InlineData("trailing ")]
    [InlineData("line\nbreak")]
    [InlineData("tab\there")]
    [InlineData("back\\slash")]
    [InlineData("ünïcödé")]
    [InlineData("^[a-z]+$")]
    [InlineData("self.all(k, !(k in ['a', 'b']))")]
    public void StringsReadBackUnchanged(string text)
    {
        var tree = new JsonObject { ["k"] = text, ["list"] = new JsonArray(text) };
        var back = YamlToJson.Read(YamlEmitter.Emit(tree));
        Assert.True(JsonNode.DeepEquals(tree, back), YamlEmitter.Emit(tree));
    }

    [Fact]
    public void NestedStructuresAndScalarsReadBackUnchanged()
    {
        var tree = JsonNode.Parse("""
            {"a": {"b": [1, 2.5, true, false, null, "s"], "empty": {}, "none": []},
             "list": [{"x": 1, "y": {"z": [[1, 2], []]}}, [3, {"w": "v"}], {}],
             "n": -7}
            """);
        Assert.True(JsonNode.DeepEquals(tree, YamlToJson.Read(YamlEmitter.Emit(tree))), YamlEmitter.Emit(tree));
    }

    [Fact]
    public void SequencesUnderAKeyAreNotIndentedAsKubectlPrintsThem() =>
        Assert.Equal("a:\n- 1\n- b: 2\n  c: 3\n", YamlEmitter.Emit(JsonNode.Parse("""{"a": [1, {"b": 2, "c": 3}]}""")));
}
