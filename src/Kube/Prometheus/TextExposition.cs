using System.Globalization;
using System.Text;

namespace PgReplica.Kube.Prometheus;

/// <summary>Writes a registry in the Prometheus text exposition format 0.0.4.</summary>
public static class TextExposition
{
    /// <summary>The Content-Type of the format.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    /// <summary>The whole registry as exposition text; every line ends in a newline.</summary>
    public static string Write(CollectorRegistry registry)
    {
        var sb = new StringBuilder();
        foreach (var family in registry.Families())
        {
            sb.Append("# HELP ").Append(family.Name).Append(' ').Append(EscapeHelp(family.Help)).Append('\n');
            sb.Append("# TYPE ").Append(family.Name).Append(' ').Append(family.Type.ToString().ToLowerInvariant()).Append('\n');
            foreach (var (labels, child) in family.Children())
            {
                switch (child)
                {
                    case CounterChild c:
                        Sample(sb, family.Name, family.LabelNames, labels, null, c.Value);
                        break;
                    case GaugeChild g:
                        Sample(sb, family.Name, family.LabelNames, labels, null, g.Value);
                        break;
                    case HistogramChild h:
                        var (buckets, count, sum) = h.Snapshot();
                        foreach (var (upper, cumulative) in buckets)
                        {
                            Sample(sb, family.Name + "_bucket", family.LabelNames, labels, ("le", FormatValue(upper)), cumulative);
                        }

                        Sample(sb, family.Name + "_bucket", family.LabelNames, labels, ("le", "+Inf"), count);
                        Sample(sb, family.Name + "_sum", family.LabelNames, labels, null, sum);
                        Sample(sb, family.Name + "_count", family.LabelNames, labels, null, count);
                        break;
                }
            }
        }

        return sb.ToString();
    }

    /// <summary>A sample value as Prometheus writes it (+Inf, -Inf, NaN, shortest round-trip otherwise).</summary>
    public static string FormatValue(double value) => value switch
    {
        double.PositiveInfinity => "+Inf",
        double.NegativeInfinity => "-Inf",
        _ when double.IsNaN(value) => "NaN",
        _ => value.ToString("R", CultureInfo.InvariantCulture),
    };

    /// <summary>Escapes a label value: backslash, double quote and newline.</summary>
    public static string EscapeLabelValue(string value) =>
        value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    /// <summary>Escapes help text: backslash and newline.</summary>
    public static string EscapeHelp(string help) =>
        help.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static void Sample(StringBuilder sb, string name, IReadOnlyList<string> labelNames, IReadOnlyList<string> labelValues, (string Name, string Value)? extra, double value)
    {
        sb.Append(name);
        if (labelNames.Count > 0 || extra is not null)
        {
            sb.Append('{');
            for (var i = 0; i < labelNames.Count; i++)
            {
                if (i > 0)
                {
                    sb.Append(',');
                }

                sb.Append(labelNames[i]).Append("=\"").Append(EscapeLabelValue(labelValues[i])).Append('"');
            }

            if (extra is { } e)
            {
                if (labelNames.Count > 0)
                {
                    sb.Append(',');
                }

                sb.Append(e.Name).Append("=\"").Append(EscapeLabelValue(e.Value)).Append('"');
            }

            sb.Append('}');
        }

        sb.Append(' ').Append(FormatValue(value)).Append('\n');
    }
}
