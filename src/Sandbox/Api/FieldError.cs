using System.Globalization;
using System.Text;
using PgReplica.Entities.Schema;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// One rejected field, as apimachinery's field.Error: <see cref="Type"/> is the Status cause's reason
/// (FieldValueInvalid, FieldValueForbidden, …), <see cref="Body"/> what follows the path ("Invalid value: 3: …").
/// </summary>
public sealed record FieldError(string Type, string Field, string Body)
{
    /// <summary>"field: body", as the Status message lists it.</summary>
    public override string ToString() => $"{Field}: {Body}";

    /// <summary>Errors of these types leave CEL rules unchecked (the API server's hasBlockingErr).</summary>
    public bool BlocksRules => Type is "FieldValueNotSupported" or "FieldValueRequired" or "FieldValueTooLong" or "FieldValueTooMany"
        or "FieldValueTypeInvalid";

    /// <summary>Invalid value; <paramref name="shownValue"/> is already printed as the server prints it (quoted string, number, …).</summary>
    public static FieldError Invalid(string field, string shownValue, string detail) =>
        new("FieldValueInvalid", field, WithDetail($"Invalid value: {shownValue}", detail));

    /// <summary>Forbidden, with a detail.</summary>
    public static FieldError Forbidden(string field, string detail) => new("FieldValueForbidden", field, WithDetail("Forbidden", detail));

    /// <summary>Required value, with a detail.</summary>
    public static FieldError Required(string field, string detail) => new("FieldValueRequired", field, WithDetail("Required value", detail));

    /// <summary>Duplicate value.</summary>
    public static FieldError Duplicate(string field, string shownValue) => new("FieldValueDuplicate", field, $"Duplicate value: {shownValue}");

    /// <summary>Unsupported value, listing the supported ones.</summary>
    public static FieldError NotSupported(string field, string value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field, $"Unsupported value: {Quote(value)}: supported values: {string.Join(", ", supported.Select(Quote))}");

    /// <summary>An error whose body is already written ("Too long: …", "Invalid value: …"); its type follows the wording.</summary>
    public static FieldError FromBody(string field, string body)
    {
        // The structural validator words a wrong type "… must be of type T …", which the server reports as TypeInvalid.
        var type = body.StartsWith("Invalid value", StringComparison.Ordinal) && body.Contains(" must be of type ", StringComparison.Ordinal)
            ? "FieldValueTypeInvalid"
            : ApiServerMessages.CauseReason(new SchemaViolation(field, body));
        return new FieldError(type, field, body);
    }

    /// <summary>A string as Go's %q prints it.</summary>
    public static string Quote(string text)
    {
        var quoted = new StringBuilder(text.Length + 2).Append('"');
        foreach (var rune in text.EnumerateRunes())
        {
            quoted.Append(rune.Value switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\a' => "\\a",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                '\v' => "\\v",
                < 0x20 or 0x7f => "\\x" + rune.Value.ToString("x2", CultureInfo.InvariantCulture),
                _ when Rune.GetUnicodeCategory(rune) is UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.OtherNotAssigned
                    => rune.Value > 0xffff ? "\\U" + rune.Value.ToString("x8", CultureInfo.InvariantCulture) : "\\u" + rune.Value.ToString("x4", CultureInfo.InvariantCulture),
                _ => rune.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }

    private static string WithDetail(string head, string detail) => detail.Length == 0 ? head : $"{head}: {detail}";
}
