using System.Text.Json;
using System.Text.Json.Nodes;
using PgReplica.Entities.Naming;
using PgReplica.Entities.Schema;

namespace PgReplica.Entities.V1Alpha1;

/// <summary>
/// The CRD's x-kubernetes-validations (CEL) rules, written again in C#: an object stored before a rule existed, or
/// under an API server that did not enforce it, must still not reach the reconciler unchecked.
/// The reconciler reports what these return in the SpecInvalid condition and an Event, and still runs its pass: only
/// what an invalid field would drive is left alone (a replica count out of range scales nothing).
/// Each method names the CEL rule it mirrors.
/// </summary>
public static class PostgresReplicaSetRules
{
    private static readonly Lazy<JsonObject> CrdSchema = new(PostgresReplicaSetCrd.Schema);

    /// <summary>Violations of every cross-field rule of resource; old is the stored object on an update.</summary>
    public static IReadOnlyList<SchemaViolation> Check(PostgresReplicaSet resource, PostgresReplicaSet? old = null)
    {
        var violations = new List<SchemaViolation>();
        if (NameViolation(resource.Metadata.Name) is { } name)
        {
            violations.Add(name);
        }

        violations.AddRange(CheckSpec(resource.Spec, old?.Spec));
        return violations;
    }

    /// <summary>Violations of the schema (as the API server checks it) and of the rules, for objects built or changed in C#.</summary>
    public static IReadOnlyList<SchemaViolation> CheckAll(PostgresReplicaSet resource, PostgresReplicaSet? old = null)
    {
        var json = JsonSerializer.SerializeToNode(resource)!;
        StructuralSchemaValidator.ApplyDefaults(CrdSchema.Value, json); // drops nulls such as "status": null, as the server does
        var violations = new List<SchemaViolation>(StructuralSchemaValidator.Validate(CrdSchema.Value, json));
        violations.AddRange(Check(resource, old));
        return violations;
    }

    /// <summary>The rules on the spec; oldSpec enables the transition rules (those using <c>oldSelf</c>).</summary>
    public static IReadOnlyList<SchemaViolation> CheckSpec(PostgresReplicaSetSpec spec, PostgresReplicaSetSpec? oldSpec = null)
    {
        var violations = new List<SchemaViolation>();
        Add(violations, SynchronousWithinReplicas(spec));
        Add(violations, ParameterNamesWellFormed(spec.Postgresql?.Parameters));
        Add(violations, NoOperatorOwnedParameters(spec.Postgresql?.Parameters));
        if (oldSpec is not null)
        {
            Add(violations, StorageUnchanged(spec.Storage, oldSpec.Storage));
            Add(violations, PostgresUidUnchanged(spec.PostgresUid, oldSpec.PostgresUid));
        }

        return violations;
    }

    /// <summary>
    /// Root rule <c>self.metadata.name.size() &lt;= 50 &amp;&amp; self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')</c>.
    /// </summary>
    public static SchemaViolation? NameViolation(string? name) =>
        name is not null && ResourceNames.ClusterNameError(name) is { } error
            ? new SchemaViolation("metadata.name", $"Invalid value: {Quote(name)}: {error}")
            : null;

    /// <summary>
    /// Spec rule <c>!has(self.replication) || !has(self.replication.synchronous) || self.replication.synchronous.number &lt;= self.replicas</c>.
    /// </summary>
    public static SchemaViolation? SynchronousWithinReplicas(PostgresReplicaSetSpec spec) =>
        spec.Replication?.Synchronous is { } synchronous && synchronous.Number > spec.Replicas
            ? Invalid("spec", "replication.synchronous.number must not exceed replicas: commits would wait for standbys that do not exist"
                + $" (number {synchronous.Number}, replicas {spec.Replicas})")
            : null;

    /// <summary>Parameters rule <c>self.all(k, k.matches('^[a-z_][a-z0-9_]*([.][a-z_][a-z0-9_]*)?$'))</c>.</summary>
    public static SchemaViolation? ParameterNamesWellFormed(IReadOnlyDictionary<string, string>? parameters)
    {
        var bad = (parameters?.Keys ?? []).Where(k => !Re2Pattern.IsMatch(Patterns.ParameterName, k)).Order(StringComparer.Ordinal).ToList();
        return bad.Count == 0
            ? null
            : Invalid("spec.postgresql.parameters",
                "parameter names must be lower-case PostgreSQL setting names (letters, digits, '_', at most one '.'): "
                + string.Join(", ", bad.Select(Quote)));
    }

    /// <summary>Parameters rule <c>self.all(k, !(k in [operator-owned names]))</c>.</summary>
    public static SchemaViolation? NoOperatorOwnedParameters(IReadOnlyDictionary<string, string>? parameters)
    {
        // Exact match, as the CEL rule does; upper-case spellings already fail ParameterNamesWellFormed.
        var owned = (parameters?.Keys ?? []).Where(k => OperatorOwnedParameters.Names.Contains(k, StringComparer.Ordinal))
            .Order(StringComparer.Ordinal).ToList();
        return owned.Count == 0
            ? null
            : Invalid("spec.postgresql.parameters",
                "replication, networking and file-location settings are set by the operator and cannot be overridden: "
                + string.Join(", ", owned));
    }

    /// <summary>Storage transition rule <c>self == oldSelf</c>.</summary>
    public static SchemaViolation? StorageUnchanged(StorageSpec? storage, StorageSpec? oldStorage)
    {
        storage ??= new StorageSpec();
        oldStorage ??= new StorageSpec();
        return storage.Size == oldStorage.Size && storage.StorageClassName == oldStorage.StorageClassName
            ? null
            : Invalid("spec.storage", "storage is immutable: existing volumes are neither resized nor moved"
                + $" (was size {oldStorage.Size}, class {oldStorage.StorageClassName ?? "default"})");
    }

    /// <summary>postgresUid transition rule <c>self == oldSelf</c> (run, as by the API server, only when both have the field).</summary>
    public static SchemaViolation? PostgresUidUnchanged(long? uid, long? oldUid) =>
        uid is { } now && oldUid is { } was && now != was
            ? Invalid("spec.postgresUid", $"postgresUid is immutable: the existing data directories are owned by the old uid (was {was})")
            : null;

    private static void Add(List<SchemaViolation> violations, SchemaViolation? violation)
    {
        if (violation is not null)
        {
            violations.Add(violation);
        }
    }

    // The API server prints a failed object-level CEL rule as: path: Invalid value: "object": message
    private static SchemaViolation Invalid(string path, string message) => new(path, $"Invalid value: \"object\": {message}");

    private static string Quote(string text) => JsonSerializer.Serialize(text);
}
