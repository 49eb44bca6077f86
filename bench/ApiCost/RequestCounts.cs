namespace PgReplica.Bench.ApiCost;

/// <summary>What the API server was asked, by verb, as the counting proxy saw it.</summary>
public sealed class RequestCounts
{
    private long lists, gets, watches, writes, statusWrites;

    public long Lists => Interlocked.Read(ref lists);

    public long Gets => Interlocked.Read(ref gets);

    public long Watches => Interlocked.Read(ref watches);

    public long Writes => Interlocked.Read(ref writes);

    public long StatusWrites => Interlocked.Read(ref statusWrites);

    /// <summary>Counts one request from its method, path and query.</summary>
    public void Count(string method, string path, string query)
    {
        var segments = Resource(path);
        if (method == "GET")
        {
            if (query.Contains("watch=true", StringComparison.Ordinal) || query.Contains("watch=1", StringComparison.Ordinal)) Interlocked.Increment(ref watches);
            else if (segments == 1) Interlocked.Increment(ref lists);
            else Interlocked.Increment(ref gets);
            return;
        }

        Interlocked.Increment(ref writes);
        if (segments == 3 && path.EndsWith("/status", StringComparison.Ordinal)) Interlocked.Increment(ref statusWrites);
    }

    /// <summary>A copy of the figures now.</summary>
    public (long Lists, long Gets, long Watches, long Writes, long StatusWrites) Snapshot() => (Lists, Gets, Watches, Writes, StatusWrites);

    // 1: a collection (plural), 2: an object (plural/name), 3: a subresource; 0 for discovery and the like.
    private static int Resource(string path)
    {
        var parts = path.Trim('/').Split('/');
        var rest = parts switch
        {
            ["api", _, .. var r] => r,
            ["apis", _, _, .. var r] => r,
            _ => [],
        };
        if (rest.Length >= 2 && rest[0] == "namespaces" && rest.Length > 2) rest = rest[2..];
        return Math.Min(rest.Length, 3);
    }
}
