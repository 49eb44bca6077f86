using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api.CelRules;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>Compiling and running single rules against JSON, without a server.</summary>
public sealed class CelRuleUnitTests
{
    private static readonly JsonObject Schema = (JsonObject)JsonNode.Parse("""
        {"type": "object", "properties": {
          "x-y": {"type": "integer"}, "in": {"type": "string"}, "name": {"type": "string"},
          "at": {"type": "string", "format": "date-time"}, "ratio": {"type": "number"},
          "labels": {"type": "object", "additionalProperties": {"type": "string"}}}}
        """)!;

    private static bool? Run(string rule, string json)
    {
        var compiled = CompiledRule.Compile(new JsonObject { ["rule"] = rule }, Schema, resourceRoot: false);
        Assert.Null(compiled.Error);
        var result = compiled.Evaluate(CelValues.From(JsonNode.Parse(json), Schema), null, false, out var error);
        Assert.Null(error);
        return result;
    }

    [Fact]
    public void PropertiesAreReachedByTheirEscapedNames() =>
        Assert.True(Run("self.x__dash__y == 2 && self.__in__ == 'a'", """{"x-y": 2, "in": "a"}"""));

    [Fact]
    public void DateTimesAreTimestampsAndNumbersAreDoubles()
    {
        Assert.True(Run("self.at < timestamp('2030-01-01T00:00:00Z')", """{"at": "2026-12-02T10:00:00Z"}"""));
        Assert.False(Run("self.at < timestamp('2030-01-01T00:00:00Z')", """{"at": "2031-01-01T00:00:00Z"}"""));
        Assert.True(Run("self.ratio > 0.5", """{"ratio": 1}"""));
    }

    [Fact]
    public void MatchesMeansRe2WhereDollarIsTheEndOfTheText()
    {
        Assert.True(Run("self.name.matches('^[a-z]+$')", """{"name": "abc"}"""));
        Assert.False(Run("self.name.matches('^[a-z]+$')", """{"name": "abc\n"}"""));
    }

    [Fact]
    public void FieldPathsNameMapKeysInBrackets()
    {
        var rule = CompiledRule.Compile(new JsonObject { ["rule"] = "true", ["fieldPath"] = ".labels['a.b']" }, Schema, resourceRoot: false);
        Assert.Equal("labels[a.b]", rule.NormalizedFieldPath);
        Assert.Equal("does not refer to a valid field", CelFieldPath.Resolve(".nope", Schema, out _));
    }

    [Fact]
    public void AMissingFieldIsAnEvaluationErrorNamingTheRule()
    {
        var compiled = CompiledRule.Compile(new JsonObject { ["rule"] = "self.name == 'a'", ["message"] = "name is a" }, Schema, resourceRoot: false);
        Assert.Null(compiled.Evaluate(CelValues.From(new JsonObject(), Schema), null, false, out var error));
        Assert.EndsWith("evaluating rule: name is a", error);
    }
}
