using System.Text.Json.Nodes;
using PgReplica.Entities.Crd;

namespace PgReplica.Entities.V1Alpha1;

/// <summary>The PostgresReplicaSet CRD in the forms its users need.</summary>
public static class PostgresReplicaSetCrd
{
    /// <summary>metadata.name of the CRD.</summary>
    public const string Name = PostgresReplicaSet.Plural + "." + PostgresReplicaSet.Group;

    /// <summary>Repository-relative path of the generated file.</summary>
    public const string FilePath = "config/crds/pgreplica.io_postgresreplicasets.yaml";

    /// <summary>The CRD as committed in <see cref="FilePath"/>.</summary>
    public static string Yaml => CrdGenerator.GenerateYaml(typeof(PostgresReplicaSet));

    /// <summary>A fresh copy of the CRD as JSON.</summary>
    public static JsonObject Json() => CrdGenerator.GenerateJson(typeof(PostgresReplicaSet));

    /// <summary>A fresh copy of the openAPIV3Schema of v1alpha1.</summary>
    public static JsonObject Schema() =>
        (JsonObject)Json()["spec"]!["versions"]![0]!["schema"]!["openAPIV3Schema"]!;
}
