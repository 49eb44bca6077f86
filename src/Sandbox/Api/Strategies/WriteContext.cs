namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>One write's options and what preparing it found: the fieldValidation asked for, unknown fields, warnings.</summary>
internal sealed class WriteContext(string? fieldValidation)
{
    /// <summary>fieldValidation=Strict: unknown fields are errors.</summary>
    public bool Strict => string.Equals(fieldValidation, "Strict", StringComparison.OrdinalIgnoreCase);

    /// <summary>fieldValidation=Warn: unknown fields are warnings.</summary>
    public bool Warn => string.Equals(fieldValidation, "Warn", StringComparison.OrdinalIgnoreCase);

    /// <summary>Paths of the fields pruned because the schema does not declare them.</summary>
    public List<string> UnknownFields { get; } = [];

    /// <summary>Warnings for the response's Warning headers.</summary>
    public List<string> Warnings { get; } = [];
}
