using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>A CRD whose x-kubernetes-validations do not compile is refused when it is written, as kube-apiserver refuses it.</summary>
public sealed class CelRuleCompilationTests : IAsyncLifetime
{
    private const string Crds = "/apis/apiextensions.k8s.io/v1/customresourcedefinitions";
    private const string SpecRules = "spec.validation.openAPIV3Schema.properties[spec].x-kubernetes-validations[0]";

    private TestSandbox _s = null!;

    public async Task InitializeAsync() => _s = await TestSandbox.StartAsync();

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private static string CrdYaml(string rule, string hostRule = "{rule: 'self.size() > 0'}") => $$$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, kind: Widget}
          versions:
          - name: v1
            served: true
            storage: true
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations: [{{{rule}}}]
                    properties:
                      size: {type: integer}
                      mode: {type: string}
                      hosts: {type: array, items: {type: string, x-kubernetes-validations: [{{{hostRule}}}]}}
        """;

    private static string GoRule(string rule, string reason = "nil", string fieldPath = "") =>
        $"apiextensions.ValidationRule{{Rule:{FieldError.Quote(rule)}, Message:\"\", MessageExpression:\"\", Reason:(*apiextensions.FieldValueErrorReason)({reason}), FieldPath:{FieldError.Quote(fieldPath)}, OptionalOldSelf:(*bool)(nil)}}";

    private async Task<List<string>> RefusedAsync(string rule)
    {
        var (code, status) = await _s.PostAsync(Crds, YamlJson.Parse(CrdYaml(rule))!);
        Assert.Equal(422, code);
        Assert.Equal(404, (await _s.GetAsync($"{Crds}/widgets.example.com")).Code);
        return status!["details"]!["causes"]!.AsArray().Select(c => $"{c!["reason"]} {c["field"]}: {c["message"]}").ToList();
    }

    [Fact]
    public async Task RulesThatDoNotCompileAreRefusedWithCelGosMessage()
    {
        Assert.Equal(
            [$"FieldValueInvalid {SpecRules}.rule: Invalid value: {GoRule("slef.size > 0")}: compilation failed: ERROR: <input>:1:1: undeclared reference to 'slef' (in container '')\n | slef.size > 0\n | ^"],
            await RefusedAsync("{rule: 'slef.size > 0'}"));
        Assert.Equal(
            [$"FieldValueInvalid {SpecRules}.rule: Invalid value: {GoRule("self.sise > 0")}: compilation failed: ERROR: <input>:1:5: undefined field 'sise'\n | self.sise > 0\n | ....^"],
            await RefusedAsync("{rule: 'self.sise > 0'}"));
        Assert.Equal(
            [$"FieldValueInvalid {SpecRules}.rule: Invalid value: {GoRule("self.size + 1")}: cel expression must evaluate to a bool"],
            await RefusedAsync("{rule: 'self.size + 1'}"));
        Assert.Contains("compilation failed: ERROR: <input>:1:13: Syntax error: mismatched input '<EOF>' expecting", Assert.Single(await RefusedAsync("{rule: 'self.size <='}")));
        Assert.Contains("undeclared reference to 'lowerAscii'", Assert.Single(await RefusedAsync("{rule: \"self.mode.lowerAscii() == 'x'\"}")));
    }

    [Fact]
    public async Task EntriesOfTheWrongShapeAreRefused()
    {
        Assert.Equal(
            [$"FieldValueNotSupported {SpecRules}.reason: Unsupported value: \"Bogus\": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", \"FieldValueInvalid\", \"FieldValueRequired\""],
            await RefusedAsync("{rule: 'self.size > 0', reason: Bogus}"));
        Assert.Equal(
            [$"FieldValueInvalid {SpecRules}.fieldPath: Invalid value: \".sise\": fieldPath must be a valid path"],
            await RefusedAsync("{rule: 'self.size > 0', fieldPath: .sise}"));
        Assert.Equal(
            [$"FieldValueRequired {SpecRules}.rule: Required value: rule is not specified"],
            await RefusedAsync("{rule: ' '}"));
    }

    [Fact]
    public async Task OldSelfIsRefusedWhereNoOldValueCorrelates()
    {
        var yaml = CrdYaml("{rule: 'self.size > 0'}", "{rule: 'self == oldSelf'}");
        var (code, status) = await _s.PostAsync(Crds, YamlJson.Parse(yaml)!);
        Assert.Equal(422, code);
        var cause = Assert.Single(status!["details"]!["causes"]!.AsArray())!;
        Assert.Equal("spec.validation.openAPIV3Schema.properties[spec].properties[hosts].items.x-kubernetes-validations[0].rule", cause["field"]!.GetValue<string>());
        Assert.StartsWith("Invalid value: \"self == oldSelf\": oldSelf cannot be used on the uncorrelatable portion of the schema", cause["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task KubectlPrintsTheRefusal()
    {
        var (exit, _, stderr) = await _s.KubectlAsync(["apply", "-f", "-"], CrdYaml("{rule: 'self.size >= 0 && slef.mode == \"a\"'}"));
        Assert.NotEqual(0, exit);
        Assert.Equal(
            $"The CustomResourceDefinition \"widgets.example.com\" is invalid: {SpecRules}.rule: Invalid value: {GoRule("self.size >= 0 && slef.mode == \"a\"")}: compilation failed: "
            + "ERROR: <input>:1:19: undeclared reference to 'slef' (in container '')\n | self.size >= 0 && slef.mode == \"a\"\n | ..................^",
            stderr.Trim());
    }
}
