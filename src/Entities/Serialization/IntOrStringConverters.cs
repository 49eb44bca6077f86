using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Entities.Serialization;

/// <summary>
/// Reads a quantity written as a JSON number (<c>cpu: 2</c>) or string (<c>cpu: "500m"</c>) into a string,
/// because the schema accepts both (x-kubernetes-int-or-string) and users write both.
/// </summary>
public sealed class IntOrStringConverter : JsonConverter<string>
{
    /// <inheritdoc />
    public override bool HandleNull => false;

    /// <inheritdoc />
    public override string? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        ReadScalar(ref reader);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value);

    internal static string ReadScalar(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => System.Text.Encoding.UTF8.GetString(
            reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray()),
        _ => throw new JsonException($"expected a number or a string, got {reader.TokenType}"),
    };
}

/// <summary>A map of quantities (resource limits/requests) whose values may be JSON numbers or strings.</summary>
public sealed class IntOrStringMapConverter : JsonConverter<Dictionary<string, string>>
{
    /// <inheritdoc />
    public override Dictionary<string, string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new JsonException($"expected an object, got {reader.TokenType}");
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var key = reader.GetString()!;
            reader.Read();
            map[key] = IntOrStringConverter.ReadScalar(ref reader);
        }

        return map;
    }

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, Dictionary<string, string> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (key, quantity) in value)
        {
            writer.WriteString(key, quantity);
        }

        writer.WriteEndObject();
    }
}
