using System.Text.Json;
using System.Text.Json.Nodes;
using PgReplica.Entities.Schema;
using PgReplica.Entities.V1Alpha1;
using static PgReplica.Entities.Tests.Admission;

namespace PgReplica.Entities.Tests;

public class PostgresReplicaSetSchemaTests
{
    [Fact]
    public void EmptySpecIsDefaultedAndValid()
    {
        var resource = Resource();
        Assert.Empty(Admit(resource));
        var spec = resource["spec"]!;
        Assert.Equal(1, spec["replicas"]!.GetValue<int>());
        Assert.Equal("postgres:17", spec["image"]!.GetValue<string>());
        Assert.Equal("1Gi", spec["storage"]!["size"]!.GetValue<string>());
        Assert.Equal("4GB", spec["replication"]!["maxSlotWalKeepSize"]!.GetValue<string>());
        Assert.False(spec["replication"]!.AsObject().ContainsKey("synchronous"));
    }

    [Fact]
    public void MissingSpecIsDefaultedToo()
    {
        var resource = Resource();
        resource.Remove("spec");
        Assert.Empty(Admit(resource));
        Assert.Equal(1, resource["spec"]!["replicas"]!.GetValue<int>());
    }

    [Fact]
    public void SchemaDefaultsEqualTheCSharpDefaults()
    {
        var defaulted = Resource();
        StructuralSchemaValidator.ApplyDefaults(CrdSchema, defaulted);
        var fromCSharp = JsonSerializer.SerializeToNode(new PostgresReplicaSetSpec())!;
        Assert.Equal(CrdSorted(fromCSharp).ToJsonString(), CrdSorted(defaulted["spec"]!).ToJsonString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(32)]
    public void ReplicasWithinRangeAreAccepted(int replicas) =>
        Assert.Empty(AdmitSpec($$"""{"replicas": {{replicas}}}"""));

    [Fact]
    public void NegativeReplicasAreRejected() =>
        Assert.Equal(["spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0"],
            AdmitSpec("""{"replicas": -1}"""));

    [Fact]
    public void ThirtyThreeReplicasAreRejected() =>
        Assert.Equal(["spec.replicas: Invalid value: 33: spec.replicas in body should be less than or equal to 32"],
            AdmitSpec("""{"replicas": 33}"""));

    [Fact]
    public void HugeReplicasAreRejectedAsOutOfInt32AndRange()
    {
        var errors = AdmitSpec("""{"replicas": 3000000000}""");
        Assert.Contains("spec.replicas: Invalid value: 3000000000: spec.replicas in body must be of type int32: \"3000000000\"", errors);
        Assert.Contains("spec.replicas: Invalid value: 3000000000: spec.replicas in body should be less than or equal to 32", errors);
    }

    [Theory]
    [InlineData("\"2\"", "string")]
    [InlineData("1.5", "number")]
    [InlineData("true", "boolean")]
    [InlineData("[2]", "array")]
    public void ReplicasOfTheWrongTypeAreRejected(string value, string kind) =>
        Assert.Equal([$"spec.replicas: Invalid value: \"{kind}\": spec.replicas in body must be of type integer: \"{kind}\""],
            AdmitSpec($$"""{"replicas": {{value}}}"""));

    [Theory]
    [InlineData("1 GB")]
    [InlineData("abc")]
    [InlineData("-1Gi")]
    [InlineData("1GB")]
    [InlineData("1Gi\n")]
    [InlineData("")]
    public void MalformedStorageSizesAreRejected(string size)
    {
        var errors = AdmitSpec(new JsonObject { ["storage"] = new JsonObject { ["size"] = size } }.ToJsonString());
        var error = Assert.Single(errors);
        Assert.StartsWith($"spec.storage.size: Invalid value: {JsonSerializer.Serialize(size)}: spec.storage.size in body should match '^", error);
    }

    [Theory]
    [InlineData("\"1Gi\"")]
    [InlineData("\"500M\"")]
    [InlineData("\"1.5Ti\"")]
    [InlineData("1073741824")]
    public void StorageSizesAreQuantitiesOrIntegers(string size) =>
        Assert.Empty(AdmitSpec($$$"""{"storage": {"size": {{{size}}}}}"""));

    [Fact]
    public void StorageSizeOfAnotherTypeIsRejected() =>
        Assert.Equal(["spec.storage.size: Invalid value: \"boolean\": spec.storage.size in body must be of type integer-or-string: \"boolean\""],
            AdmitSpec("""{"storage": {"size": true}}"""));

    [Fact]
    public void ResourceQuantitiesAcceptNumbersAndSuffixes() =>
        Assert.Empty(AdmitSpec("""{"resources": {"limits": {"cpu": 2, "memory": "4Gi"}, "requests": {"cpu": "500m", "memory": "1e9"}}}"""));

    [Fact]
    public void MalformedResourceQuantityIsRejectedWithItsKey()
    {
        var error = Assert.Single(AdmitSpec("""{"resources": {"limits": {"memory": "lots"}}}"""));
        Assert.StartsWith("spec.resources.limits[memory]: Invalid value: \"lots\": spec.resources.limits[memory] in body should match", error);
    }

    [Theory]
    [InlineData("4GB")]
    [InlineData("512MB")]
    [InlineData("1024")]
    [InlineData("-1")]
    public void MaxSlotWalKeepSizeTakesPostgresUnits(string size) =>
        Assert.Empty(AdmitSpec($$$"""{"replication": {"maxSlotWalKeepSize": "{{{size}}}"}}"""));

    [Theory]
    [InlineData("4Gi")]
    [InlineData("4 GB")]
    [InlineData("4gb")]
    [InlineData("-2")]
    public void MaxSlotWalKeepSizeRejectsKubernetesAndMalformedUnits(string size) =>
        Assert.Single(AdmitSpec($$$"""{"replication": {"maxSlotWalKeepSize": "{{{size}}}"}}"""));

    [Theory]
    [InlineData("postgres")]
    [InlineData("postgres:15")]
    [InlineData("docker.io/library/postgres:17.2-bookworm")]
    [InlineData("registry.local:5000/db/postgres:17")]
    [InlineData("postgres@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void WellFormedImagesAreAccepted(string image) =>
        Assert.Empty(AdmitSpec(new JsonObject { ["image"] = image }.ToJsonString()));

    [Theory]
    [InlineData("")]
    [InlineData("Postgres:17")]
    [InlineData("postgres:17 ; rm -rf /")]
    [InlineData("postgres:")]
    [InlineData("postgres:17\n")]
    public void MalformedImagesAreRejected(string image) =>
        Assert.Single(AdmitSpec(new JsonObject { ["image"] = image }.ToJsonString()));

    [Fact]
    public void UnknownFieldsAreFoundAndPrunedButMetadataIsLeftAlone()
    {
        var resource = Resource("""{"replica": 3, "storage": {"sizee": "2Gi"}, "postgresql": {"parameters": {"work_mem": "8MB"}}}""");
        resource["metadata"]!["labels"] = new JsonObject { ["team"] = "billing" };
        resource["extra"] = 1;
        Assert.Equal(["extra", "spec.replica", "spec.storage.sizee"],
            StructuralSchemaValidator.UnknownFields(CrdSchema, resource).Order(StringComparer.Ordinal).ToList());

        var pruned = StructuralSchemaValidator.Prune(CrdSchema, resource);
        Assert.Equal(3, pruned.Count);
        Assert.Empty(StructuralSchemaValidator.UnknownFields(CrdSchema, resource));
        Assert.Equal("billing", resource["metadata"]!["labels"]!["team"]!.GetValue<string>());
        Assert.Equal("8MB", resource["spec"]!["postgresql"]!["parameters"]!["work_mem"]!.GetValue<string>());
    }

    [Fact]
    public void UnknownFieldsInStatusListsAreFoundByIndex()
    {
        var resource = Resource();
        resource["status"] = JsonNode.Parse("""{"standbys": [{"name": "orders-2"}, {"name": "orders-3", "lagg": 1}]}""");
        Assert.Equal(["status.standbys[1].lagg"], StructuralSchemaValidator.UnknownFields(CrdSchema, resource));
    }

    [Fact]
    public void NullsInNonNullableFieldsAreDroppedOrDefaulted()
    {
        var resource = Resource("""{"replicas": null, "storage": {"storageClassName": null}, "readService": {"maxLagBytes": null}}""");
        Assert.Empty(Admit(resource));
        Assert.Equal(1, resource["spec"]!["replicas"]!.GetValue<int>());
        Assert.False(resource["spec"]!["storage"]!.AsObject().ContainsKey("storageClassName"));
        Assert.False(resource["spec"]!["readService"]!.AsObject().ContainsKey("maxLagBytes"));
    }

    [Fact]
    public void NullWithoutDefaultingIsATypeError() =>
        Assert.Equal(["spec.image: Invalid value: \"null\": spec.image in body must be of type string: \"null\""],
            StructuralSchemaValidator.Validate(CrdSchema, Resource("""{"image": null}""")).Select(v => v.ToString()));

    [Fact]
    public void SynchronousBlockIsDefaultedAndItsMethodIsAnEnum()
    {
        var resource = Resource("""{"replication": {"synchronous": {}}}""");
        Assert.Empty(Admit(resource));
        Assert.Equal("any", resource["spec"]!["replication"]!["synchronous"]!["method"]!.GetValue<string>());
        Assert.Equal(1, resource["spec"]!["replication"]!["synchronous"]!["number"]!.GetValue<int>());

        Assert.Equal(["spec.replication.synchronous.method: Unsupported value: \"all\": supported values: \"any\", \"first\""],
            AdmitSpec("""{"replication": {"synchronous": {"method": "all"}}}"""));
        Assert.Equal(["spec.replication.synchronous.number: Invalid value: 0: spec.replication.synchronous.number in body should be greater than or equal to 1"],
            AdmitSpec("""{"replication": {"synchronous": {"number": 0}}}"""));
    }

    [Fact]
    public void ParameterValuesMustBeSingleLineStrings()
    {
        Assert.Equal(["spec.postgresql.parameters[max_connections]: Invalid value: \"integer\": spec.postgresql.parameters[max_connections] in body must be of type string: \"integer\""],
            AdmitSpec("""{"postgresql": {"parameters": {"max_connections": 100}}}"""));
        var error = Assert.Single(AdmitSpec("""{"postgresql": {"parameters": {"work_mem": "8MB\nport = 1"}}}"""));
        Assert.StartsWith("spec.postgresql.parameters[work_mem]: Invalid value: \"8MB\\nport = 1\"", error);
    }

    [Fact]
    public void TooManyParametersAreRejected()
    {
        var parameters = new JsonObject();
        for (var i = 0; i <= PostgresqlSpec.MaxParameters; i++)
        {
            parameters[$"custom.p{i}"] = "1";
        }

        var spec = new JsonObject { ["postgresql"] = new JsonObject { ["parameters"] = parameters } };
        Assert.Equal(["spec.postgresql.parameters: Too many: 257: must have at most 256 items"], AdmitSpec(spec.ToJsonString()));
    }

    [Fact]
    public void AFullStatusFromCSharpValidatesWithoutUnknownFields()
    {
        var resource = JsonSerializer.SerializeToNode(Samples.FullResource())!;
        Assert.Empty(StructuralSchemaValidator.Validate(CrdSchema, resource).Select(v => v.ToString()));
        Assert.Empty(StructuralSchemaValidator.UnknownFields(CrdSchema, resource));
    }

    [Fact]
    public void StatusConstraintsAreEnforced()
    {
        var resource = Resource();
        resource["status"] = JsonNode.Parse("""
            {
              "phase": "Happy",
              "primary": {"currentLsn": "0/ZZ"},
              "standbys": [{"name": "orders-2", "state": "streaming"}, {"name": "orders-2", "replayLagBytes": -5}],
              "conditions": [{"type": "Ready", "status": "Yes", "lastTransitionTime": "yesterday", "message": ""}]
            }
            """);
        var errors = Admit(resource);
        Assert.Contains("status.phase: Unsupported value: \"Happy\": supported values: \"Initializing\", \"Scaling\", \"Ready\", \"Degraded\", \"FailingOver\"", errors);
        Assert.Contains("status.primary.pod: Required value", errors);
        Assert.Contains(errors, e => e.StartsWith("status.primary.currentLsn: Invalid value: \"0/ZZ\": status.primary.currentLsn in body should match", StringComparison.Ordinal));
        Assert.Contains("status.standbys[1]: Duplicate value: {\"name\":\"orders-2\"}", errors);
        Assert.Contains("status.standbys[1].replayLagBytes: Invalid value: -5: status.standbys[1].replayLagBytes in body should be greater than or equal to 0", errors);
        Assert.Contains("status.conditions[0].reason: Required value", errors);
        Assert.Contains("status.conditions[0].status: Unsupported value: \"Yes\": supported values: \"True\", \"False\", \"Unknown\"", errors);
        Assert.Contains("status.conditions[0].lastTransitionTime: Invalid value: \"yesterday\": status.conditions[0].lastTransitionTime in body must be of type date-time: \"yesterday\"", errors);
        Assert.Equal(8, errors.Count);
    }

    private static JsonNode CrdSorted(JsonNode node) => node switch
    {
        JsonObject map => new JsonObject(map.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, p.Value is null ? null : CrdSorted(p.Value)))),
        _ => node.DeepClone(),
    };
}
