using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace PgReplica.Kube.Models;

/// <summary>Writes metav1.MicroTime (<c>2006-01-02T15:04:05.000000Z07:00</c>, UTC, six fraction digits); reads any RFC 3339 time.</summary>
public sealed class MicroTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The wire format, always written in UTC.</summary>
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'ffffff'Z'";

    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}

/// <summary>Writes metav1.Time (RFC 3339 to the second, UTC); reads any RFC 3339 time.</summary>
public sealed class KubeTimeConverter : JsonConverter<DateTimeOffset>
{
    /// <summary>The wire format, always written in UTC.</summary>
    public const string Format = "yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'";

    /// <inheritdoc />
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        DateTimeOffset.Parse(reader.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    /// <inheritdoc />
    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString(Format, CultureInfo.InvariantCulture));
}
