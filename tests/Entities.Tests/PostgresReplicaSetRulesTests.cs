using PgReplica.Entities.V1Alpha1;
using k8s;
using k8s.Models;

namespace PgReplica.Entities.Tests;

/// <summary>The C# twins of the CRD's CEL rules.</summary>
public class PostgresReplicaSetRulesTests
{
    private static PostgresReplicaSet Resource(string name = "orders", Action<PostgresReplicaSetSpec>? change = null)
    {
        var resource = new PostgresReplicaSet { Metadata = new V1ObjectMeta { Name = name } };
        change?.Invoke(resource.Spec);
        return resource;
    }

    [Fact]
    public void ADefaultResourceBreaksNoRule() => Assert.Empty(PostgresReplicaSetRules.Check(Resource()));

    [Theory]
    [InlineData("Orders")]
    [InlineData("1orders")]
    [InlineData("orders-")]
    [InlineData("orders_db")]
    [InlineData("a23456789012345678901234567890123456789012345678901")]
    public void BadClusterNamesAreReportedOnMetadataName(string name)
    {
        var violation = Assert.Single(PostgresReplicaSetRules.Check(Resource(name)));
        Assert.Equal("metadata.name", violation.Path);
        Assert.StartsWith($"Invalid value: \"{name}\": ", violation.Message);
    }

    [Fact]
    public void FiftyCharacterNamesAreAllowed() =>
        Assert.Empty(PostgresReplicaSetRules.Check(Resource(new string('a', 50))));

    [Fact]
    public void SynchronousNumberMayNotExceedReplicas()
    {
        var resource = Resource(change: s =>
        {
            s.Replicas = 1;
            s.Replication.Synchronous = new SynchronousReplicationSpec { Number = 2 };
        });
        var violation = Assert.Single(PostgresReplicaSetRules.Check(resource));
        Assert.Equal("spec", violation.Path);
        Assert.Contains("replication.synchronous.number must not exceed replicas", violation.Message);

        resource.Spec.Replicas = 2;
        Assert.Empty(PostgresReplicaSetRules.Check(resource));
    }

    [Fact]
    public void ScalingDownBelowTheSynchronousNumberIsRejected()
    {
        var old = Resource(change: s =>
        {
            s.Replicas = 3;
            s.Replication.Synchronous = new SynchronousReplicationSpec { Number = 2 };
        });
        var scaledDown = Resource(change: s =>
        {
            s.Replicas = 1;
            s.Replication.Synchronous = new SynchronousReplicationSpec { Number = 2 };
        });
        Assert.Single(PostgresReplicaSetRules.Check(scaledDown, old));
    }

    [Theory]
    [InlineData("wal_level")]
    [InlineData("max_wal_senders")]
    [InlineData("hot_standby")]
    [InlineData("primary_conninfo")]
    [InlineData("port")]
    [InlineData("listen_addresses")]
    public void OperatorOwnedParametersAreRejected(string parameter)
    {
        var resource = Resource(change: s => s.Postgresql.Parameters[parameter] = "x");
        var violation = Assert.Single(PostgresReplicaSetRules.Check(resource));
        Assert.Equal("spec.postgresql.parameters", violation.Path);
        Assert.EndsWith(": " + parameter, violation.Message);
        Assert.True(OperatorOwnedParameters.Contains(parameter.ToUpperInvariant()));
    }

    [Theory]
    [InlineData("WAL_LEVEL")]
    [InlineData("work-mem")]
    [InlineData("a.b.c")]
    [InlineData("")]
    [InlineData("x = 1\nport")]
    public void MalformedParameterNamesAreRejected(string parameter)
    {
        var resource = Resource(change: s => s.Postgresql.Parameters[parameter] = "1");
        var violation = Assert.Single(PostgresReplicaSetRules.Check(resource));
        Assert.Contains("parameter names must be lower-case PostgreSQL setting names", violation.Message);
    }

    [Fact]
    public void UserParametersAndExtensionSettingsAreAllowed()
    {
        var resource = Resource(change: s =>
        {
            s.Postgresql.Parameters["shared_buffers"] = "256MB";
            s.Postgresql.Parameters["pg_stat_statements.max"] = "10000";
        });
        Assert.Empty(PostgresReplicaSetRules.Check(resource));
    }

    [Fact]
    public void PostgresUidCannotChangeOnUpdate()
    {
        var old = Resource(change: s => s.PostgresUid = 70);
        Assert.Empty(PostgresReplicaSetRules.Check(Resource(change: s => s.PostgresUid = 999))); // a create has no old object
        var changed = Assert.Single(PostgresReplicaSetRules.Check(Resource(change: s => s.PostgresUid = 999), old));
        Assert.Equal("spec.postgresUid", changed.Path);
        Assert.Contains("owned by the old uid (was 70)", changed.Message, StringComparison.Ordinal);
        Assert.Empty(PostgresReplicaSetRules.Check(Resource(change: s => s.PostgresUid = 70), old));
    }

    [Theory]
    [InlineData("postgres:17", null, 999)]
    [InlineData("postgres:15-alpine", null, 70)]
    [InlineData("registry.example.com:5000/db/postgres:17-alpine3.21@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", null, 70)]
    [InlineData("registry.example.com:5000/alpine-builds/postgres:17", null, 999)]
    [InlineData("postgres:15-alpine", 1000L, 1000)]
    public void The_uid_follows_the_image_unless_the_spec_names_one(string image, long? uid, long expected)
    {
        var spec = new PostgresReplicaSetSpec { Image = image, PostgresUid = uid };
        Assert.Equal(expected, spec.EffectivePostgresUid());
    }

    [Fact]
    public void StorageCannotChangeOnUpdate()
    {
        var old = Resource();
        var grown = Resource(change: s => s.Storage.Size = "2Gi");
        var moved = Resource(change: s => s.Storage.StorageClassName = "fast");
        Assert.Empty(PostgresReplicaSetRules.Check(grown)); // a create has no old object
        Assert.Equal("spec.storage", Assert.Single(PostgresReplicaSetRules.Check(grown, old)).Path);
        Assert.Equal("spec.storage", Assert.Single(PostgresReplicaSetRules.Check(moved, old)).Path);
        Assert.Empty(PostgresReplicaSetRules.Check(Resource(), old));
    }

    [Fact]
    public void CheckAllAddsSchemaViolations()
    {
        var resource = Resource(change: s =>
        {
            s.Replicas = 40;
            s.Storage.Size = "lots";
            s.Postgresql.Parameters["port"] = "5433";
        });
        var messages = PostgresReplicaSetRules.CheckAll(resource).Select(v => v.ToString()).ToList();
        Assert.Contains("spec.replicas: Invalid value: 40: spec.replicas in body should be less than or equal to 32", messages);
        Assert.Contains(messages, m => m.StartsWith("spec.storage.size: Invalid value: \"lots\"", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("spec.postgresql.parameters: Invalid value: \"object\": replication, networking", StringComparison.Ordinal));
        Assert.Equal(3, messages.Count);
    }

    [Fact]
    public void OwnedParameterListIsParsedFromTheCelLiteral()
    {
        Assert.Equal(15, OperatorOwnedParameters.Names.Count);
        Assert.All(OperatorOwnedParameters.Names, n => Assert.Matches("^[a-z_]+$", n));
        Assert.Contains("synchronous_standby_names", OperatorOwnedParameters.Names);
        Assert.False(OperatorOwnedParameters.Contains("work_mem"));
    }
}
