namespace PgReplica.Entities.Crd;

/// <summary>Where a schema attribute on a property lands: the property itself, or its list items / map values.</summary>
public enum SchemaTarget
{
    /// <summary>The property's own schema.</summary>
    Self,

    /// <summary>The schema of the list's items or the map's values.</summary>
    Values,
}

/// <summary>Text shown by <c>kubectl explain</c> for a field or type.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property)]
public sealed class DescriptionAttribute(string text) : Attribute
{
    /// <summary>The description.</summary>
    public string Text { get; } = text;
}

/// <summary>Inclusive lower bound of a number (<c>minimum</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinimumAttribute(long value) : Attribute
{
    /// <summary>The bound.</summary>
    public long Value { get; } = value;
}

/// <summary>Inclusive upper bound of a number (<c>maximum</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaximumAttribute(long value) : Attribute
{
    /// <summary>The bound.</summary>
    public long Value { get; } = value;
}

/// <summary>Regular expression (RE2 syntax, as the API server runs it) a string must match.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class PatternAttribute(string regex) : Attribute
{
    /// <summary>The expression.</summary>
    public string Regex { get; } = regex;

    /// <summary>Whether it applies to the property or its items/values.</summary>
    public SchemaTarget Target { get; init; }
}

/// <summary>Least number of characters of a string (<c>minLength</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MinLengthAttribute(int value) : Attribute
{
    /// <summary>The bound.</summary>
    public int Value { get; } = value;

    /// <summary>Whether it applies to the property or its items/values.</summary>
    public SchemaTarget Target { get; init; }
}

/// <summary>Most characters of a string (<c>maxLength</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxLengthAttribute(int value) : Attribute
{
    /// <summary>The bound.</summary>
    public int Value { get; } = value;

    /// <summary>Whether it applies to the property or its items/values.</summary>
    public SchemaTarget Target { get; init; }
}

/// <summary>Most entries of a list (<c>maxItems</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxItemsAttribute(int value) : Attribute
{
    /// <summary>The bound.</summary>
    public int Value { get; } = value;
}

/// <summary>Most keys of a map (<c>maxProperties</c>); also bounds the cost of CEL rules over the map.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class MaxPropertiesAttribute(int value) : Attribute
{
    /// <summary>The bound.</summary>
    public int Value { get; } = value;
}

/// <summary>Value the API server writes when the field is absent (<c>default</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class DefaultAttribute(object value) : Attribute
{
    /// <summary>A string, bool or number.</summary>
    public object Value { get; } = value;
}

/// <summary>Defaults the object to <c>{}</c>, so that the defaults of its own fields apply when it is omitted.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property)]
public sealed class DefaultEmptyObjectAttribute : Attribute;

/// <summary>The field must be present (listed in its parent's <c>required</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class RequiredAttribute : Attribute;

/// <summary>The only values a string may take (<c>enum</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class EnumValuesAttribute(params string[] values) : Attribute
{
    /// <summary>Allowed values.</summary>
    public IReadOnlyList<string> Values { get; } = values;
}

/// <summary>An OpenAPI <c>format</c> such as <c>date-time</c> or <c>int64</c>.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class FormatAttribute(string format) : Attribute
{
    /// <summary>The format name.</summary>
    public string Format { get; } = format;
}

/// <summary>Accepts an integer or a string, as resource quantities do (<c>x-kubernetes-int-or-string</c>).</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class IntOrStringAttribute : Attribute
{
    /// <summary>Whether it applies to the property or its items/values.</summary>
    public SchemaTarget Target { get; init; }
}

/// <summary>
/// A CEL rule (<c>x-kubernetes-validations</c>) on the field or type. The API server evaluates it;
/// the operator checks the same rule in C# (see <c>PostgresReplicaSetRules</c>) for objects that predate it.
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class ValidationAttribute(string rule, string message) : Attribute
{
    /// <summary>The CEL expression; <c>self</c> is the field, <c>oldSelf</c> its previous value.</summary>
    public string Rule { get; } = rule;

    /// <summary>What the user is told when the rule fails.</summary>
    public string Message { get; } = message;

    /// <summary>Optional JSON path, relative to the field, that the error is reported on.</summary>
    public string? FieldPath { get; init; }
}

/// <summary>Marks a list as a map keyed by the given fields (<c>x-kubernetes-list-type: map</c>): keys are unique.</summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ListMapAttribute(params string[] keys) : Attribute
{
    /// <summary>Fields that identify an entry.</summary>
    public IReadOnlyList<string> Keys { get; } = keys;
}

/// <summary>
/// A column of <c>kubectl get</c>. On a property the JSON path is derived; on the entity class it is given
/// (for columns such as Age that read metadata).
/// </summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Property, AllowMultiple = true)]
public sealed class PrinterColumnAttribute(string name) : Attribute
{
    /// <summary>Column header.</summary>
    public string Name { get; } = name;

    /// <summary>Position among the columns (after NAME).</summary>
    public int Order { get; init; }

    /// <summary>JSON path; required on a class, derived on a property.</summary>
    public string? JsonPath { get; init; }

    /// <summary>integer, number, string, boolean or date; derived from the property type when null.</summary>
    public string? Type { get; init; }

    /// <summary>Shown by <c>kubectl explain</c>-like tools; defaults to the field's description.</summary>
    public string? Description { get; init; }

    /// <summary>0 shows the column by default; higher only with <c>-o wide</c>.</summary>
    public int Priority { get; init; }
}

/// <summary>Short names for <c>kubectl get</c> (e.g. <c>pgrs</c>).</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ShortNamesAttribute(params string[] names) : Attribute
{
    /// <summary>The short names.</summary>
    public IReadOnlyList<string> Names { get; } = names;
}

/// <summary>Serves <c>/status</c> separately from the main resource.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class StatusSubresourceAttribute : Attribute;

/// <summary>Serves <c>/scale</c> (kubectl scale, HPA) mapped onto the given JSON paths.</summary>
[AttributeUsage(AttributeTargets.Class)]
public sealed class ScaleSubresourceAttribute(string specReplicasPath, string statusReplicasPath, string labelSelectorPath) : Attribute
{
    /// <summary>Path of the desired count, e.g. <c>.spec.replicas</c>.</summary>
    public string SpecReplicasPath { get; } = specReplicasPath;

    /// <summary>Path of the observed count, e.g. <c>.status.replicas</c>.</summary>
    public string StatusReplicasPath { get; } = statusReplicasPath;

    /// <summary>Path of the serialized label selector, e.g. <c>.status.selector</c>.</summary>
    public string LabelSelectorPath { get; } = labelSelectorPath;
}
