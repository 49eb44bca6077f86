using PgReplica.Entities.Schema;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Entities.Tests;

public class ApiServerMessagesTests
{
    [Fact]
    public void OneViolationIsPrintedBare()
    {
        var violations = Admission.AdmitSpecViolations("""{"replicas": 40}""");
        Assert.Equal("PostgresReplicaSet.pgreplica.io \"orders\" is invalid: spec.replicas: Invalid value: 40: spec.replicas in body should be less than or equal to 32",
            ApiServerMessages.Invalid(PostgresReplicaSet.EntityKind, PostgresReplicaSet.Group, "orders", violations));
    }

    [Fact]
    public void SeveralViolationsAreBracketed()
    {
        var violations = Admission.AdmitSpecViolations("""{"replicas": -1, "image": ""}""");
        var message = ApiServerMessages.Invalid(PostgresReplicaSet.EntityKind, PostgresReplicaSet.Group, "orders", violations);
        Assert.StartsWith("PostgresReplicaSet.pgreplica.io \"orders\" is invalid: [spec.", message);
        Assert.EndsWith("]", message);
        Assert.Contains(", spec.", message);
    }

    [Fact]
    public void StrictDecodingNamesEveryUnknownField() =>
        Assert.Equal("PostgresReplicaSet in version \"v1alpha1\" cannot be handled as a PostgresReplicaSet: strict decoding error: unknown field \"spec.replica\", unknown field \"x\"",
            ApiServerMessages.StrictDecoding("PostgresReplicaSet", "v1alpha1", ["spec.replica", "x"]));

    [Theory]
    [InlineData("""{"replicas": 40}""", "FieldValueInvalid")]
    [InlineData("""{"replication": {"synchronous": {"method": "all"}}}""", "FieldValueNotSupported")]
    public void CauseReasonsFollowTheMessage(string spec, string reason) =>
        Assert.Equal(reason, ApiServerMessages.CauseReason(Assert.Single(Admission.AdmitSpecViolations(spec))));

    [Fact]
    public void OverlongValueIsFieldValueTooLong()
    {
        var spec = new System.Text.Json.Nodes.JsonObject
        {
            ["postgresql"] = new System.Text.Json.Nodes.JsonObject
            {
                ["parameters"] = new System.Text.Json.Nodes.JsonObject { ["search_path"] = new string('a', 1025) },
            },
        };
        Assert.Equal("FieldValueTooLong", ApiServerMessages.CauseReason(Assert.Single(Admission.AdmitSpecViolations(spec.ToJsonString()))));
    }

    [Fact]
    public void MissingRequiredFieldIsFieldValueRequired() =>
        Assert.Equal("FieldValueRequired", ApiServerMessages.CauseReason(new SchemaViolation("status.primary.pod", "Required value")));
}
