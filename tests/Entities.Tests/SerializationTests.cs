using System.Text.Json;
using System.Text.Json.Nodes;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Entities.Tests;

/// <summary>The C# types read what the server stores and write what the schema accepts.</summary>
public class SerializationTests
{
    [Fact]
    public void QuantitiesWrittenAsNumbersReadAsStrings()
    {
        var json = """{"spec": {"storage": {"size": 1073741824}, "resources": {"limits": {"cpu": 2, "memory": "1Gi"}, "requests": {"cpu": 0.5}}}}""";
        var resource = JsonSerializer.Deserialize<PostgresReplicaSet>(json)!;
        Assert.Equal("1073741824", resource.Spec.Storage.Size);
        Assert.Equal("2", resource.Spec.Resources.Limits!["cpu"]);
        Assert.Equal("1Gi", resource.Spec.Resources.Limits["memory"]);
        Assert.Equal("0.5", resource.Spec.Resources.Requests!["cpu"]);
    }

    [Fact]
    public void ARoundTripKeepsEveryField()
    {
        var original = Samples.FullResource();
        var json = JsonSerializer.Serialize(original);
        var back = JsonSerializer.Deserialize<PostgresReplicaSet>(json)!;
        Assert.Equal(json, JsonSerializer.Serialize(back));
        Assert.Equal(0.004, back.Status!.Standbys![0].ReplayLagSeconds);
        Assert.Equal("AllStandbysStreaming", back.Status.Conditions![0].Reason);
    }

    [Fact]
    public void AbsentOptionalFieldsAreNotWrittenAsNull()
    {
        var json = JsonSerializer.SerializeToNode(new PostgresReplicaSet())!;
        Assert.DoesNotContain("null", json["spec"]!.ToJsonString(), StringComparison.Ordinal);
        var status = JsonSerializer.SerializeToNode(new PostgresReplicaSetStatus { Primary = new PrimaryStatus { Pod = "orders-1" } })!;
        Assert.Equal("""{"primary":{"pod":"orders-1"},"replicas":0,"readyReplicas":0}""", status.ToJsonString());
    }

    [Fact]
    public void ANewResourceCarriesItsApiVersionAndKind()
    {
        var json = JsonSerializer.SerializeToNode(new PostgresReplicaSet())!.AsObject();
        Assert.Equal("pgreplica.io/v1alpha1", json["apiVersion"]!.GetValue<string>());
        Assert.Equal("PostgresReplicaSet", json["kind"]!.GetValue<string>());
    }

    [Fact]
    public void UnknownFieldsSurviveARoundTrip()
    {
        var json = """{"apiVersion": "pgreplica.io/v1alpha1", "kind": "PostgresReplicaSet", "metadata": {"name": "orders"}, "spec": {}, "future": {"x": 1}}""";
        var back = JsonSerializer.SerializeToNode(JsonSerializer.Deserialize<PostgresReplicaSet>(json))!;
        Assert.Equal("""{"x":1}""", back["future"]!.ToJsonString());
        Assert.IsType<JsonObject>(back["spec"]);
    }
}
