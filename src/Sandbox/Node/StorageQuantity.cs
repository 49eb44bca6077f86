using PgReplica.Sandbox.Api;

namespace PgReplica.Sandbox.Node;

/// <summary>A claim's storage request in bytes: "1Gi", "500M", "1e9", "1073741824".</summary>
internal static class StorageQuantity
{
    /// <summary>The quantity in bytes, rounded up; throws <see cref="FormatException"/> for what no volume can be made of.</summary>
    public static long Bytes(string quantity)
    {
        var value = ResourceQuantity.TryParse(quantity.Trim());
        if (value is not { } bytes || bytes < 0 || double.IsInfinity(bytes))
        {
            throw new FormatException($"quantity \"{quantity}\" is not a storage size");
        }

        // 100Ei passes the API server, as on a cluster, and then no provisioner can make it.
        return bytes < long.MaxValue
            ? (long)Math.Ceiling(bytes)
            : throw new FormatException($"quantity \"{quantity}\" is larger than any volume this node can provide");
    }
}
