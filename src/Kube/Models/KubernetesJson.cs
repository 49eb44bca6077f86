using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;

namespace PgReplica.Kube.Models;

/// <summary>The JSON settings every Kubernetes body uses: the generated context first, reflection for other types (custom resources).</summary>
public static class KubernetesJson
{
    /// <summary>Shared options: camelCase, nulls omitted, generated metadata for built-in kinds.</summary>
    public static JsonSerializerOptions Options { get; } = Create();

    /// <summary>Options that also consult <paramref name="extra"/> (e.g. an entity project's own context) before reflection.</summary>
    public static JsonSerializerOptions Create(params IJsonTypeInfoResolver[] extra)
    {
        var resolvers = new List<IJsonTypeInfoResolver> { KubeJsonContext.Default };
        resolvers.AddRange(extra);
        resolvers.Add(new DefaultJsonTypeInfoResolver());
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web)
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = JsonTypeInfoResolver.Combine([.. resolvers]),
        };
        options.MakeReadOnly();
        return options;
    }

    /// <summary>Serialises <paramref name="value"/> as the API server expects.</summary>
    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Options);

    /// <summary>Reads a body written by the API server.</summary>
    public static T? Deserialize<T>(string json) => JsonSerializer.Deserialize<T>(json, Options);
}
