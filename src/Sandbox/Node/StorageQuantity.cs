using System.Globalization;

namespace PgReplica.Sandbox.Node;

/// <summary>Kubernetes resource quantities for storage: "1Gi", "500M", "1e9", "1073741824".</summary>
internal static class StorageQuantity
{
    private static readonly (string Suffix, double Factor)[] Suffixes =
    [
        ("Ki", 1L << 10), ("Mi", 1L << 20), ("Gi", 1L << 30), ("Ti", 1L << 40), ("Pi", 1L << 50), ("Ei", 1L << 60),
        ("k", 1e3), ("M", 1e6), ("G", 1e9), ("T", 1e12), ("P", 1e15), ("E", 1e18), ("m", 1e-3),
    ];

    /// <summary>The quantity in bytes, rounded up; throws <see cref="FormatException"/> for what Kubernetes would not accept.</summary>
    public static long Bytes(string quantity)
    {
        var text = quantity.Trim();
        var factor = 1.0;
        foreach (var (suffix, f) in Suffixes)
        {
            if (text.EndsWith(suffix, StringComparison.Ordinal) && text.Length > suffix.Length && !text.EndsWith("e" + suffix, StringComparison.OrdinalIgnoreCase))
            {
                factor = f;
                text = text[..^suffix.Length];
                break;
            }
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || number < 0 || double.IsInfinity(number))
        {
            throw new FormatException($"quantity \"{quantity}\" is not a storage size");
        }

        return (long)Math.Ceiling(number * factor);
    }
}
