namespace PgReplica.Entities.Schema;

/// <summary>The API server's wording for rejected custom resources, so that a stand-in server reads like the real one.</summary>
public static class ApiServerMessages
{
    /// <summary>
    /// The Status message of a 422 Invalid: <c>PostgresReplicaSet.pgreplica.io "orders" is invalid: spec.replicas: …</c>
    /// (several violations are listed in brackets, comma-separated).
    /// </summary>
    public static string Invalid(string kind, string group, string name, IReadOnlyList<SchemaViolation> violations)
    {
        ArgumentOutOfRangeException.ThrowIfZero(violations.Count);
        var qualifiedKind = group.Length == 0 ? kind : kind + "." + group;
        var list = violations.Count == 1 ? violations[0].ToString() : "[" + string.Join(", ", violations) + "]";
        return $"{qualifiedKind} \"{name}\" is invalid: {list}";
    }

    /// <summary>
    /// The Status message of a 400 BadRequest under <c>fieldValidation=Strict</c>:
    /// <c>PostgresReplicaSet in version "v1alpha1" cannot be handled as a PostgresReplicaSet: strict decoding error: unknown field "spec.replica"</c>.
    /// </summary>
    public static string StrictDecoding(string kind, string version, IReadOnlyList<string> unknownFields)
    {
        ArgumentOutOfRangeException.ThrowIfZero(unknownFields.Count);
        var fields = string.Join(", ", unknownFields.Select(f => $"unknown field \"{f}\""));
        return $"{kind} in version \"{version}\" cannot be handled as a {kind}: strict decoding error: {fields}";
    }

    /// <summary>The <c>details.causes[].reason</c> of a violation, e.g. FieldValueInvalid or FieldValueRequired.</summary>
    public static string CauseReason(SchemaViolation violation) => violation.Message switch
    {
        var m when m.StartsWith("Required value", StringComparison.Ordinal) => "FieldValueRequired",
        var m when m.StartsWith("Unsupported value", StringComparison.Ordinal) => "FieldValueNotSupported",
        var m when m.StartsWith("Duplicate value", StringComparison.Ordinal) => "FieldValueDuplicate",
        var m when m.StartsWith("Too long", StringComparison.Ordinal) => "FieldValueTooLong",
        var m when m.StartsWith("Too many", StringComparison.Ordinal) => "FieldValueTooMany",
        var m when m.StartsWith("Forbidden", StringComparison.Ordinal) => "FieldValueForbidden",
        _ => "FieldValueInvalid",
    };
}
