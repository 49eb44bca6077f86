using System.Globalization;

namespace PgReplica.Sandbox.Networking;

/// <summary>
/// Chooses 127.X.0.0/16 ranges no listening socket uses yet, so that two sandboxes on one machine
/// (a lab and a test run, say) do not hand out the same pod or Service addresses.
/// </summary>
public static class LoopbackRanges
{
    /// <summary>The second octets of 127/8 that have a listening TCP socket now (from /proc/net/tcp).</summary>
    public static ISet<byte> InUse(string procNetTcp = "/proc/net/tcp")
    {
        var used = new HashSet<byte>();
        if (!File.Exists(procNetTcp))
        {
            return used;
        }

        foreach (var line in File.ReadLines(procNetTcp).Skip(1))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            // local_address is hex "0100007F:1538" (little-endian IPv4); state 0A is LISTEN.
            if (fields.Length > 3 && fields[3] == "0A" && fields[1].Length >= 8
                && byte.TryParse(fields[1].AsSpan(6, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var first) && first == 127
                && byte.TryParse(fields[1].AsSpan(4, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var second))
            {
                used.Add(second);
            }
        }

        return used;
    }

    /// <summary>The preferred octet if free, else the next free one (wrapping within 10..249), skipping the excluded ones.</summary>
    public static byte Choose(byte preferred, ISet<byte> inUse, params byte[] excluded)
    {
        for (var i = 0; i < 240; i++)
        {
            var candidate = (byte)(10 + ((preferred - 10 + i) % 240));
            if (candidate != 0 && !inUse.Contains(candidate) && !excluded.Contains(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("every 127.X.0.0/16 range has a listening socket; stop another sandbox");
    }
}
