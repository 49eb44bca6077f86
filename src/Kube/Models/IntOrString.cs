using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>intstr.IntOrString: a port number or a port name (Service targetPort, probe ports).</summary>
[JsonConverter(typeof(IntOrStringConverter))]
public readonly record struct IntOrString
{
    /// <summary>The integer value, when this holds a number.</summary>
    public int? IntValue { get; }

    /// <summary>The string value, when this holds a name.</summary>
    public string? StringValue { get; }

    /// <summary>A numeric value.</summary>
    public IntOrString(int value) => IntValue = value;

    /// <summary>A named value.</summary>
    public IntOrString(string value) => StringValue = value;

    /// <summary>True when this holds a number.</summary>
    public bool IsInt => IntValue.HasValue;

    /// <summary>Numbers convert implicitly.</summary>
    public static implicit operator IntOrString(int value) => new(value);

    /// <summary>Names convert implicitly.</summary>
    public static implicit operator IntOrString(string value) => new(value);

    /// <inheritdoc />
    public override string ToString() => IntValue?.ToString(CultureInfo.InvariantCulture) ?? StringValue ?? "";
}

/// <summary>Reads a JSON number or string into <see cref="IntOrString"/> and writes it back the same way.</summary>
public sealed class IntOrStringConverter : JsonConverter<IntOrString>
{
    /// <inheritdoc />
    public override IntOrString Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => new IntOrString(reader.GetInt32()),
            JsonTokenType.String => new IntOrString(reader.GetString()!),
            _ => throw new JsonException($"IntOrString: unexpected token {reader.TokenType}"),
        };

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, IntOrString value, JsonSerializerOptions options)
    {
        if (value.IntValue is int i)
        {
            writer.WriteNumberValue(i);
        }
        else
        {
            writer.WriteStringValue(value.StringValue ?? "");
        }
    }
}
