using System.Text.Json;
using System.Text.Json.Nodes;
using PgReplica.Entities.Schema;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Entities.Tests;

/// <summary>The sample users apply is accepted by the schema and the rules, and reads into the C# types.</summary>
public class SampleTests
{
    private const string SamplePath = "config/samples/pgreplica_v1alpha1_postgresreplicaset.yaml";

    private static JsonNode LoadSample() => YamlToJson.Read(File.ReadAllText(RepoRoot.File(SamplePath)))!;

    [Fact]
    public void SampleIsAdmittedWithoutUnknownFields()
    {
        var sample = LoadSample();
        Assert.Empty(StructuralSchemaValidator.UnknownFields(Admission.CrdSchema, sample));
        Assert.Empty(Admission.Admit(sample));
    }

    [Fact]
    public void SampleIsAPrimaryWithTwoStandbysThatPassesTheRules()
    {
        var sample = LoadSample();
        StructuralSchemaValidator.ApplyDefaults(Admission.CrdSchema, sample);
        var resource = sample.Deserialize<PostgresReplicaSet>()!;
        Assert.Equal(PostgresReplicaSet.GroupVersion, resource.ApiVersion);
        Assert.Equal(PostgresReplicaSet.EntityKind, resource.Kind);
        Assert.Equal(2, resource.Spec.Replicas);
        Assert.Equal("250m", resource.Spec.Resources.Requests!["cpu"]);
        Assert.Equal("4GB", resource.Spec.Replication.MaxSlotWalKeepSize);
        Assert.Empty(PostgresReplicaSetRules.CheckAll(resource));
    }

    [Fact]
    public void SampleExplainsItselfToADba()
    {
        var text = File.ReadAllText(RepoRoot.File(SamplePath));
        foreach (var term in new[] { "standby", "replication slot", "pg_basebackup", "WAL", "MySQL", "orders-rw", "orders-ro" })
        {
            Assert.Contains(term, text, StringComparison.OrdinalIgnoreCase);
        }
    }
}
