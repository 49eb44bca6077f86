using System.Text.Json.Nodes;
using static PgReplica.Sandbox.Tests.Api.TestObjects;

namespace PgReplica.Sandbox.Tests.Api;

public sealed class CustomResourceValidationTests : IAsyncLifetime
{
    private TestSandbox _s = null!;

    public async Task InitializeAsync()
    {
        _s = await TestSandbox.StartAsync();
        await _s.InstallThingsCrdAsync();
    }

    public async Task DisposeAsync() => await _s.DisposeAsync();

    [Fact]
    public async Task UnknownFieldsArePrunedSilentlyByDefault()
    {
        var thing = Thing("pruned");
        thing["spec"]!["bogus"] = 1;
        thing["spec"]!["labels"] = new JsonObject { ["a"] = "b" };
        thing["spec"]!["extra"] = new JsonObject { ["anything"] = new JsonObject { ["deep"] = true } };
        thing["topLevel"] = "x";
        var (code, created) = await _s.PostAsync(Things, thing);
        Assert.Equal(201, code);
        Assert.Null(created!["spec"]!["bogus"]);
        Assert.Null(created["topLevel"]);
        Assert.Equal("b", created["spec"]!["labels"]!["a"]!.GetValue<string>());
        Assert.True(created["spec"]!["extra"]!["anything"]!["deep"]!.GetValue<bool>());
    }

    [Fact]
    public async Task StrictFieldValidationRejectsUnknownFieldsWithCauses()
    {
        var thing = Thing("strict");
        thing["spec"]!["bogus"] = 1;
        var (code, status) = await _s.PostAsync($"{Things}?fieldValidation=Strict", thing);
        Assert.Equal(422, code);
        Assert.Equal("Invalid", status!["reason"]!.GetValue<string>());
        var cause = Assert.Single(status["details"]!["causes"]!.AsArray());
        Assert.Equal("spec.bogus", cause!["field"]!.GetValue<string>());
        Assert.Equal(404, (await _s.GetAsync($"{Things}/strict")).Code);
    }

    [Fact]
    public async Task SchemaDefaultsAndViolationsComeFromTheStructuralValidator()
    {
        var noReplicas = Thing("defaulted");
        ((JsonObject)noReplicas["spec"]!).Remove("replicas");
        var (code, created) = await _s.PostAsync(Things, noReplicas);
        Assert.Equal(201, code);
        Assert.Equal(1, created!["spec"]!["replicas"]!.GetValue<int>());

        var (bad, status) = await _s.PostAsync(Things, Thing("negative", replicas: -1));
        Assert.Equal(422, bad);
        Assert.Contains(status!["details"]!["causes"]!.AsArray(), c => c!["field"]!.GetValue<string>().Contains("spec.replicas"));
        Assert.StartsWith("Thing.example.com \"negative\" is invalid", status["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task WarnFieldValidationPrunesAndAnswersWithAWarningHeader()
    {
        var thing = Thing("warned");
        thing["spec"]!["bogus"] = 1;
        using var response = await _s.Http.PostAsync($"{Things}?fieldValidation=Warn",
            new StringContent(thing.ToJsonString(), System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(201, (int)response.StatusCode);
        var warning = Assert.Single(response.Headers.GetValues("Warning"));
        Assert.StartsWith("299 - ", warning);
        Assert.Contains("unknown field", warning);
        Assert.Contains("spec.bogus", warning);
    }

    [Fact]
    public async Task DryRunValidatesWithoutStoring()
    {
        var (code, created) = await _s.PostAsync($"{Things}?dryRun=All", Thing("dry"));
        Assert.Equal(201, code);
        Assert.Equal("dry", created!["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal(404, (await _s.GetAsync($"{Things}/dry")).Code);
        Assert.Equal(422, (await _s.PostAsync($"{Things}?dryRun=All", Thing("dry", replicas: -3))).Code);
    }
}
