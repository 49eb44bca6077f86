using System.Text.RegularExpressions;

namespace PgReplica.Kube.Prometheus;

/// <summary>Prometheus naming rules, enforced when a family is created so promtool never has to complain.</summary>
public static partial class MetricNaming
{
    /// <summary>Throws unless the name is snake_case, has no colon, and fits its type's suffix rules.</summary>
    public static void ValidateFamily(string name, MetricType type)
    {
        if (!NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"metric name '{name}' must be lower snake_case [a-z_][a-z0-9_]*");
        }

        var isTotal = name.EndsWith("_total", StringComparison.Ordinal);
        if (type == MetricType.Counter && !isTotal)
        {
            throw new ArgumentException($"counter '{name}' must end in _total");
        }

        if (type != MetricType.Counter && isTotal)
        {
            throw new ArgumentException($"'{name}' is not a counter and must not end in _total");
        }
    }

    /// <summary>Throws unless the label name is valid and not reserved.</summary>
    public static void ValidateLabel(string label)
    {
        if (!LabelPattern().IsMatch(label) || label.StartsWith("__", StringComparison.Ordinal))
        {
            throw new ArgumentException($"label name '{label}' is not valid");
        }
    }

    [GeneratedRegex("^[a-z_][a-z0-9_]*$")]
    private static partial Regex NamePattern();

    [GeneratedRegex("^[a-zA-Z_][a-zA-Z0-9_]*$")]
    private static partial Regex LabelPattern();
}
