using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>x-kubernetes-validations through the sandbox's HTTP server: every write verb, every level, transition rules, ratcheting.</summary>
public sealed class CelValidationTests : IAsyncLifetime
{
    private const string Gadgets = "/apis/example.com/v1/namespaces/default/gadgets";

    private TestSandbox _s = null!;

    public async Task InitializeAsync()
    {
        _s = await TestSandbox.StartAsync();
        _s.Host.InstallCrd(GadgetsCrd());
        await TestSandbox.Eventually(async () => (await _s.GetAsync("/apis/example.com/v1")).Code == 200, "CRD served");
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    private static JsonObject GadgetsCrd(string extraSpecRule = "") => (JsonObject)YamlJson.Parse($$$"""
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: gadgets, singular: gadget, kind: Gadget}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                x-kubernetes-validations:
                - {rule: "self.metadata.name.startsWith('g-')", message: "gadget names start with g-"}
                properties:
                  spec:
                    type: object
                    x-kubernetes-validations:
                    - rule: "self.min <= self.max"
                      messageExpression: "'min ' + string(self.min) + ' is above max ' + string(self.max)"
                      fieldPath: .min
                      reason: FieldValueForbidden
                    {{{extraSpecRule}}}
                    properties:
                      min: {type: integer, default: 0}
                      max: {type: integer, default: 10}
                      weight:
                        type: number
                        x-kubernetes-validations: [{rule: "self >= 0.5", reason: FieldValueRequired, message: "a weight of at least 0.5"}]
                      mode:
                        type: string
                        x-kubernetes-validations: [{rule: "self == oldSelf", message: "mode is immutable"}]
                      labels:
                        type: object
                        additionalProperties:
                          type: string
                          x-kubernetes-validations: [{rule: "self.size() <= 5"}]
                      ports:
                        type: array
                        x-kubernetes-list-type: map
                        x-kubernetes-list-map-keys: [name]
                        items:
                          type: object
                          required: [name]
                          properties: {name: {type: string}, port: {type: integer}}
                          x-kubernetes-validations: [{rule: "self.port == oldSelf.port", message: "a port's number is immutable"}]
                  status:
                    type: object
                    properties: {ready: {type: integer}}
                    x-kubernetes-validations: [{rule: "self.ready >= 0", message: "ready is never negative"}]
        """)!;

    private static JsonObject Gadget(string name = "g-1", int min = 1, int max = 3) => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Gadget",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["min"] = min, ["max"] = max },
    };

    private static JsonObject Cause(JsonNode? status) => Assert.Single(status!["details"]!["causes"]!.AsArray())!.AsObject();

    private static void AssertCause(JsonNode? status, string reason, string field, string message)
    {
        var cause = Cause(status);
        Assert.Equal((reason, field, message), (cause["reason"]!.GetValue<string>(), cause["field"]!.GetValue<string>(), cause["message"]!.GetValue<string>()));
    }

    private Task<(int Code, JsonNode? Body)> PatchAsync(string url, string contentType, string body) =>
        _s.SendAsync(HttpMethod.Patch, url, JsonNode.Parse(body), contentType);

    [Fact]
    public async Task CreateUpdatePatchAndApplyAreAllRefusedWithTheRulesCause()
    {
        const string Forbidden = "Forbidden: min 5 is above max 3";
        var (code, status) = await _s.PostAsync(Gadgets, Gadget(min: 5));
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
        Assert.Equal("Gadget.example.com \"g-1\" is invalid: spec.min: " + Forbidden, status["message"]!.GetValue<string>());
        AssertCause(status, "FieldValueForbidden", "spec.min", Forbidden);
        Assert.Equal(422, (await _s.PostAsync($"{Gadgets}?dryRun=All", Gadget(min: 5))).Code);

        var (created, stored) = await _s.PostAsync(Gadgets, Gadget());
        Assert.Equal(201, created);
        var replacement = stored!.DeepClone();
        replacement["spec"]!["min"] = 5;
        AssertCause((await _s.PutAsync($"{Gadgets}/g-1", replacement)).Body, "FieldValueForbidden", "spec.min", Forbidden);
        AssertCause((await _s.MergePatchAsync($"{Gadgets}/g-1", JsonNode.Parse("""{"spec":{"min":5}}""")!)).Body, "FieldValueForbidden", "spec.min", Forbidden);
        AssertCause((await PatchAsync($"{Gadgets}/g-1", "application/json-patch+json", """[{"op":"replace","path":"/spec/min","value":5}]""")).Body,
            "FieldValueForbidden", "spec.min", Forbidden);
        AssertCause((await PatchAsync($"{Gadgets}/g-1?fieldManager=test", "application/apply-patch+yaml",
            """{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g-1"},"spec":{"min":5}}""")).Body, "FieldValueForbidden", "spec.min", Forbidden);
        AssertCause((await PatchAsync($"{Gadgets}/g-2?fieldManager=test", "application/apply-patch+yaml",
            """{"apiVersion":"example.com/v1","kind":"Gadget","metadata":{"name":"g-2"},"spec":{"min":50}}""")).Body,
            "FieldValueForbidden", "spec.min", "Forbidden: min 50 is above max 10");
        Assert.Equal(1, (await _s.GetAsync($"{Gadgets}/g-1")).Body!["spec"]!["min"]!.GetValue<int>());
        Assert.Equal(404, (await _s.GetAsync($"{Gadgets}/g-2")).Code);
    }

    [Fact]
    public async Task RulesApplyAtEveryLevelWithTheirReasonsAndPaths()
    {
        AssertCause((await _s.PostAsync(Gadgets, Gadget(name: "x-1"))).Body,
            "FieldValueInvalid", "<nil>", "Invalid value: \"object\": gadget names start with g-");

        var labelled = Gadget();
        labelled["spec"]!["labels"] = new JsonObject { ["team"] = "databases", ["tier"] = "db" };
        AssertCause((await _s.PostAsync(Gadgets, labelled)).Body, "FieldValueInvalid", "spec.labels[team]", "Invalid value: \"string\": failed rule: self.size() <= 5");

        // A number written without a fraction is still a double to CEL (0.5 would not compare with an int otherwise).
        var light = Gadget();
        light["spec"]!["weight"] = 0;
        AssertCause((await _s.PostAsync(Gadgets, light)).Body, "FieldValueRequired", "spec.weight", "Required value: a weight of at least 0.5");
        light["spec"]!["weight"] = 1;
        Assert.Equal(201, (await _s.PostAsync(Gadgets, light)).Code);
    }

    [Fact]
    public async Task TransitionRulesSeeOldSelfOnUpdatesOnly()
    {
        var gadget = Gadget();
        gadget["spec"]!["mode"] = "fast";
        gadget["spec"]!["ports"] = JsonNode.Parse("""[{"name":"http","port":80}]""");
        Assert.Equal(201, (await _s.PostAsync(Gadgets, gadget)).Code);

        AssertCause((await _s.MergePatchAsync($"{Gadgets}/g-1", JsonNode.Parse("""{"spec":{"mode":"slow"}}""")!)).Body,
            "FieldValueInvalid", "spec.mode", "Invalid value: \"string\": mode is immutable");
        AssertCause((await _s.MergePatchAsync($"{Gadgets}/g-1", JsonNode.Parse("""{"spec":{"ports":[{"name":"http","port":8080}]}}""")!)).Body,
            "FieldValueInvalid", "spec.ports[0]", "Invalid value: \"object\": a port's number is immutable");

        // A list-map item is matched by its key, wherever it moved; a new item has no old self.
        var (code, _) = await _s.MergePatchAsync($"{Gadgets}/g-1", JsonNode.Parse("""{"spec":{"ports":[{"name":"https","port":443},{"name":"http","port":80}]}}""")!);
        Assert.Equal(200, code);
    }

    [Fact]
    public async Task StatusWritesAreChecked()
    {
        var (_, created) = await _s.PostAsync(Gadgets, Gadget());
        created!["status"] = new JsonObject { ["ready"] = -1 };
        var (code, status) = await _s.PutAsync($"{Gadgets}/g-1/status", created);
        Assert.Equal(422, code);
        AssertCause(status, "FieldValueInvalid", "status", "Invalid value: \"object\": ready is never negative");
    }

    [Fact]
    public async Task SchemaErrorsThatMakeRulesMeaninglessLeaveThemUnchecked()
    {
        var gadget = Gadget(min: 5);
        gadget["spec"]!["max"] = "three";
        var (code, status) = await _s.PostAsync(Gadgets, gadget);
        Assert.Equal(422, code);
        var causes = status!["details"]!["causes"]!.AsArray().Select(c => $"{c!["reason"]} {c["field"]}: {c["message"]}").ToList();
        Assert.Equal(
            [
                "FieldValueTypeInvalid spec.max: Invalid value: \"string\": spec.max in body must be of type integer: \"string\"",
                "FieldValueInvalid <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation",
            ],
            causes);
    }

    [Fact]
    public async Task AnUnchangedValueThatBreaksANewRuleOnlyWarns()
    {
        Assert.Equal(201, (await _s.PostAsync(Gadgets, Gadget(max: 9))).Code);
        _s.Host.InstallCrd(GadgetsCrd("""- {rule: "self.max < 5", message: "max is below 5"}"""));

        using var request = new HttpRequestMessage(HttpMethod.Patch, $"{Gadgets}/g-1")
        {
            Content = new StringContent("""{"metadata":{"labels":{"touched":"yes"}}}""", Encoding.UTF8),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/merge-patch+json");
        using var response = await _s.Http.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("299 - \"spec: Invalid value: \\\"object\\\": max is below 5\"", Assert.Single(response.Headers.GetValues("Warning")));

        AssertCause((await _s.MergePatchAsync($"{Gadgets}/g-1", JsonNode.Parse("""{"spec":{"max":8}}""")!)).Body,
            "FieldValueInvalid", "spec", "Invalid value: \"object\": max is below 5");
    }
}
