using System.Text.Json.Nodes;
using PgReplica.Entities.Schema;

namespace PgReplica.Entities.Tests;

/// <summary>The validator on small hand-written schemas: each keyword of the structural subset on its own.</summary>
public class StructuralSchemaValidatorTests
{
    private static List<string> Errors(string schema, string value) =>
        StructuralSchemaValidator.Validate(JsonNode.Parse(schema)!, JsonNode.Parse(value)).Select(v => v.ToString()).ToList();

    private static string Wrap(string fieldSchema) => $$$"""{"type": "object", "properties": {"f": {{{fieldSchema}}}}}""";

    [Theory]
    [InlineData("""{"type": "integer"}""", "1", true)]
    [InlineData("""{"type": "integer"}""", "-7", true)]
    [InlineData("""{"type": "integer"}""", "1.0", false)]
    [InlineData("""{"type": "integer"}""", "1e3", false)]
    [InlineData("""{"type": "integer"}""", "99999999999999999999", false)]
    [InlineData("""{"type": "number"}""", "1", true)]
    [InlineData("""{"type": "number"}""", "1.25", true)]
    [InlineData("""{"type": "number"}""", "\"1\"", false)]
    [InlineData("""{"type": "string"}""", "\"x\"", true)]
    [InlineData("""{"type": "string"}""", "1", false)]
    [InlineData("""{"type": "boolean"}""", "false", true)]
    [InlineData("""{"type": "boolean"}""", "\"false\"", false)]
    [InlineData("""{"type": "array"}""", "[]", true)]
    [InlineData("""{"type": "array"}""", "{}", false)]
    [InlineData("""{"type": "object"}""", "{}", true)]
    [InlineData("""{"type": "object"}""", "[]", false)]
    public void TypesAreChecked(string fieldSchema, string value, bool valid) =>
        Assert.Equal(valid, Errors(Wrap(fieldSchema), $$"""{"f": {{value}}}""").Count == 0);

    [Fact]
    public void TypeErrorNamesTheActualKindLikeTheApiServer() =>
        Assert.Equal(["f: Invalid value: \"number\": f in body must be of type integer: \"number\""],
            Errors(Wrap("""{"type": "integer"}"""), """{"f": 2.5}"""));

    [Fact]
    public void NullIsAcceptedOnlyWhenNullable()
    {
        Assert.Empty(Errors(Wrap("""{"type": "string", "nullable": true}"""), """{"f": null}"""));
        Assert.Equal(["f: Invalid value: \"null\": f in body must be of type string: \"null\""],
            Errors(Wrap("""{"type": "string"}"""), """{"f": null}"""));
    }

    [Fact]
    public void RequiredFieldsAreReportedAtTheirOwnPath() =>
        Assert.Equal(["a.b: Required value"],
            Errors("""{"type": "object", "properties": {"a": {"type": "object", "required": ["b"], "properties": {"b": {"type": "string"}}}}}""",
                """{"a": {}}"""));

    [Fact]
    public void BoundsAndExclusiveBounds()
    {
        var schema = Wrap("""{"type": "number", "minimum": 0, "exclusiveMinimum": true, "maximum": 1.5}""");
        Assert.Equal(["f: Invalid value: 0: f in body should be greater than 0"], Errors(schema, """{"f": 0}"""));
        Assert.Equal(["f: Invalid value: 1.6: f in body should be less than or equal to 1.5"], Errors(schema, """{"f": 1.6}"""));
        Assert.Empty(Errors(schema, """{"f": 1.5}"""));
    }

    [Fact]
    public void StringLengthsCountCharactersNotBytes()
    {
        var schema = Wrap("""{"type": "string", "minLength": 2, "maxLength": 3}""");
        Assert.Empty(Errors(schema, """{"f": "äöü"}"""));
        Assert.Equal(["f: Too long: may not be longer than 3"], Errors(schema, """{"f": "abcd"}"""));
        Assert.Equal(["f: Invalid value: \"a\": f in body should be at least 2 chars long"], Errors(schema, """{"f": "a"}"""));
    }

    [Fact]
    public void PatternsAnchorAtTheVeryEndAsInRe2()
    {
        var schema = Wrap("""{"type": "string", "pattern": "^[a-z]+$"}""");
        Assert.Empty(Errors(schema, """{"f": "abc"}"""));
        Assert.Equal(["f: Invalid value: \"abc\\n\": f in body should match '^[a-z]+$'"], Errors(schema, """{"f": "abc\n"}"""));
    }

    [Fact]
    public void DigitClassesAreAsciiOnlyAsInRe2()
    {
        var schema = Wrap("""{"type": "string", "pattern": "^\\d+$"}""");
        Assert.Empty(Errors(schema, """{"f": "123"}"""));
        Assert.Single(Errors(schema, """{"f": "١٢٣"}""")); // Arabic-Indic digits: \d in .NET, not in Go
    }

    [Fact]
    public void EnumListsTheSupportedValues() =>
        Assert.Equal(["f: Unsupported value: \"c\": supported values: \"a\", \"b\""],
            Errors(Wrap("""{"type": "string", "enum": ["a", "b"]}"""), """{"f": "c"}"""));

    [Fact]
    public void ItemCountsAndItemPaths()
    {
        var schema = Wrap("""{"type": "array", "minItems": 1, "maxItems": 2, "items": {"type": "integer"}}""");
        Assert.Equal(["f: Invalid value: 0: f in body should have at least 1 items"], Errors(schema, """{"f": []}"""));
        Assert.Equal(["f: Too many: 3: must have at most 2 items"], Errors(schema, """{"f": [1, 2, 3]}"""));
        Assert.Equal(["f[1]: Invalid value: \"string\": f[1] in body must be of type integer: \"string\""], Errors(schema, """{"f": [1, "x"]}"""));
    }

    [Fact]
    public void ListTypeSetAndMapRejectDuplicates()
    {
        Assert.Equal(["f[2]: Duplicate value: \"a\""],
            Errors(Wrap("""{"type": "array", "x-kubernetes-list-type": "set", "items": {"type": "string"}}"""), """{"f": ["a", "b", "a"]}"""));
        var map = Wrap("""{"type": "array", "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["k"], "items": {"type": "object", "properties": {"k": {"type": "string"}, "v": {"type": "integer"}}}}""");
        Assert.Empty(Errors(map, """{"f": [{"k": "a", "v": 1}, {"k": "b", "v": 1}]}"""));
        Assert.Equal(["f[1]: Duplicate value: {\"k\":\"a\"}"], Errors(map, """{"f": [{"k": "a", "v": 1}, {"k": "a", "v": 2}]}"""));
    }

    [Fact]
    public void MapValuesAreValidatedUnderTheirKey()
    {
        var schema = Wrap("""{"type": "object", "maxProperties": 2, "additionalProperties": {"type": "string", "maxLength": 1}}""");
        Assert.Equal(["f[b]: Too long: may not be longer than 1"], Errors(schema, """{"f": {"a": "x", "b": "yy"}}"""));
        Assert.Equal(["f: Too many: 3: must have at most 2 items"], Errors(schema, """{"f": {"a": "x", "b": "y", "c": "z"}}"""));
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("\"25%\"", true)]
    [InlineData("1.5", false)]
    [InlineData("true", false)]
    [InlineData("{}", false)]
    public void IntOrStringAcceptsIntegersAndStrings(string value, bool valid) =>
        Assert.Equal(valid, Errors(Wrap("""{"x-kubernetes-int-or-string": true}"""), $$"""{"f": {{value}}}""").Count == 0);

    [Theory]
    [InlineData("2026-11-21T23:00:00Z", true)]
    [InlineData("2026-11-21T23:00:00.123456+01:00", true)]
    [InlineData("2026-11-21", false)]
    [InlineData("2026-13-21T23:00:00Z", false)]
    [InlineData("now", false)]
    public void DateTimeFormatIsRfc3339(string text, bool valid) =>
        Assert.Equal(valid, Errors(Wrap("""{"type": "string", "format": "date-time"}"""), new JsonObject { ["f"] = text }.ToJsonString()).Count == 0);

    [Fact]
    public void CombinatorsConstrainValues()
    {
        var schema = Wrap("""{"type": "integer", "allOf": [{"minimum": 1}], "oneOf": [{"maximum": 5}, {"minimum": 10}], "not": {"enum": [3]}}""");
        Assert.Empty(Errors(schema, """{"f": 4}"""));
        Assert.Empty(Errors(schema, """{"f": 12}"""));
        Assert.Equal(["f: Invalid value: 3: f in body must not validate the schema (not)"], Errors(schema, """{"f": 3}"""));
        Assert.Equal(["f: Invalid value: 7: f in body must validate one and only one schema (oneOf)"], Errors(schema, """{"f": 7}"""));
        Assert.Contains("f: Invalid value: 0: f in body should be greater than or equal to 1", Errors(schema, """{"f": 0}"""));
    }

    [Fact]
    public void UnknownFieldsRespectPreserveUnknownFieldsAndEmbeddedResources()
    {
        var schema = JsonNode.Parse("""
            {"type": "object", "properties": {
              "free": {"type": "object", "x-kubernetes-preserve-unknown-fields": true},
              "known": {"type": "object", "properties": {"a": {"type": "string"}}},
              "embedded": {"type": "object", "x-kubernetes-embedded-resource": true, "properties": {"spec": {"type": "object"}}}
            }}
            """)!;
        var value = JsonNode.Parse("""
            {"free": {"anything": {"goes": 1}}, "known": {"a": "x", "b": "y"},
             "embedded": {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "p"}, "spec": {"x": 1}, "other": 2},
             "top": true}
            """);
        Assert.Equal(["embedded.other", "embedded.spec.x", "known.b", "top"],
            StructuralSchemaValidator.UnknownFields(schema, value).Order(StringComparer.Ordinal).ToList());
        StructuralSchemaValidator.Prune(schema, value);
        Assert.Equal("""{"free":{"anything":{"goes":1}},"known":{"a":"x"},"embedded":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{}}}""",
            value!.ToJsonString());
    }

    [Fact]
    public void DefaultsApplyToAbsentFieldsInsideDefaultedObjectsAndListItems()
    {
        var schema = JsonNode.Parse("""
            {"type": "object", "properties": {
              "o": {"type": "object", "default": {}, "properties": {"n": {"type": "integer", "default": 5}, "s": {"type": "string"}}},
              "l": {"type": "array", "items": {"type": "object", "properties": {"d": {"type": "boolean", "default": true}}}},
              "m": {"type": "object", "additionalProperties": {"type": "object", "properties": {"x": {"type": "string", "default": "y"}}}},
              "keep": {"type": "integer", "default": 1},
              "nullable": {"type": "string", "nullable": true, "default": "z"}
            }}
            """)!;
        var value = JsonNode.Parse("""{"l": [{}, {"d": false}], "m": {"k": {}}, "keep": 7, "nullable": null}""");
        StructuralSchemaValidator.ApplyDefaults(schema, value);
        Assert.Equal("""{"l":[{"d":true},{"d":false}],"m":{"k":{"x":"y"}},"keep":7,"nullable":null,"o":{"n":5}}""", value!.ToJsonString());
        Assert.Empty(StructuralSchemaValidator.Validate(schema, value));
    }

    [Fact]
    public void SchemaOfFindsTheVersion()
    {
        var crd = JsonNode.Parse("""{"spec": {"versions": [{"name": "v1", "schema": {"openAPIV3Schema": {"type": "object"}}}]}}""")!;
        Assert.Equal("object", StructuralSchemaValidator.SchemaOf(crd, "v1")["type"]!.GetValue<string>());
        Assert.Throws<ArgumentException>(() => StructuralSchemaValidator.SchemaOf(crd, "v2"));
    }

    [Fact]
    public void ValuesBuiltInCSharpAreReadLikeParsedOnes()
    {
        var schema = new JsonObject
        {
            ["type"] = "object",
            ["properties"] = new JsonObject { ["n"] = new JsonObject { ["type"] = "integer", ["maximum"] = 3, ["maxLength"] = 2 } },
        };
        Assert.Equal(["n: Invalid value: 4: n in body should be less than or equal to 3"],
            StructuralSchemaValidator.Validate(schema, new JsonObject { ["n"] = 4 }).Select(v => v.ToString()));
        Assert.Empty(StructuralSchemaValidator.Validate(schema, new JsonObject { ["n"] = 3L }));
    }

    [Fact]
    public void ErrorsOnTheWholeObjectSayBody() =>
        Assert.Equal(["<root>: Invalid value: \"string\": body must be of type object: \"string\""],
            Errors("""{"type": "object"}""", "\"text\""));
}
