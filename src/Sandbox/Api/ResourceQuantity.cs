using System.Globalization;
using System.Text.RegularExpressions;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// apimachinery's resource.Quantity as far as validation needs it: the accepted forms ("1Gi", "500m", "1e9", "-2")
/// and the value they stand for.
/// </summary>
public static partial class ResourceQuantity
{
    /// <summary>The pattern apimachinery names when it refuses a quantity.</summary>
    public const string Pattern = "^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$";

    private static readonly Dictionary<string, double> Suffixes = new(StringComparer.Ordinal)
    {
        [""] = 1,
        ["n"] = 1e-9,
        ["u"] = 1e-6,
        ["m"] = 1e-3,
        ["k"] = 1e3,
        ["M"] = 1e6,
        ["G"] = 1e9,
        ["T"] = 1e12,
        ["P"] = 1e15,
        ["E"] = 1e18,
        ["Ki"] = 1L << 10,
        ["Mi"] = 1L << 20,
        ["Gi"] = 1L << 30,
        ["Ti"] = 1L << 40,
        ["Pi"] = 1L << 50,
        ["Ei"] = 1L << 60,
    };

    /// <summary>The value of <paramref name="text"/>, or null when apimachinery would refuse to parse it.</summary>
    public static double? TryParse(string text)
    {
        var match = Shape().Match(text);
        if (!match.Success || !double.TryParse(match.Groups[1].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint,
                CultureInfo.InvariantCulture, out var number))
        {
            return null;
        }

        var suffix = match.Groups[2].Value;
        if (Suffixes.TryGetValue(suffix, out var factor))
        {
            return number * factor;
        }

        // A decimal exponent: "1e9", "5E-3".
        return suffix.Length > 1 && suffix[0] is 'e' or 'E' && int.TryParse(suffix[1..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var exponent)
            ? number * Math.Pow(10, exponent)
            : null;
    }

    /// <summary>The value of <paramref name="text"/>; throws <see cref="FormatException"/> with apimachinery's message.</summary>
    public static double Parse(string text) =>
        TryParse(text) ?? throw new FormatException($"quantities must match the regular expression '{Pattern}'");

    [GeneratedRegex(@"^([+-]?[0-9]+(?:\.[0-9]*)?|[+-]?\.[0-9]+)(|[numkMGTPE]|[KMGTPE]i|[eE][+-]?[0-9]+)$")]
    private static partial Regex Shape();
}
