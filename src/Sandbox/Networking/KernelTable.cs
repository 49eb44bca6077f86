using System.Globalization;

namespace PgReplica.Sandbox.Networking;

/// <summary>
/// One nftables table a sandbox component owns, named <c>pgreplica_&lt;part&gt;_&lt;octet&gt;</c> after the
/// 127.&lt;octet&gt;.0.0/16 range it serves. Its content is replaced whole, in one transaction; the table goes
/// when the component stops, and a table left by a sandbox that died is removed by the next one to start.
/// </summary>
internal sealed class KernelTable
{
    private const string Prefix = "pgreplica_";
    private readonly SemaphoreSlim _gate = new(1, 1);
    private string? _applied;

    /// <summary>A table for part ("services", "pods") of the range 127.octet.0.0/16.</summary>
    public KernelTable(string part, byte octet)
    {
        Name = string.Create(CultureInfo.InvariantCulture, $"{Prefix}{part}_{octet}");
    }

    /// <summary>The nftables table name.</summary>
    public string Name { get; }

    /// <summary>Replaces the table's chains with the given body (chain definitions); a body equal to the last one is not sent again.</summary>
    public Task ApplyAsync(string body) => ApplyAsync(() => body);

    /// <summary>Renders the body in turn with other applies (so the last one applied renders the latest state) and applies it.</summary>
    public async Task ApplyAsync(Func<string> render)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            var body = render();
            if (body == _applied)
            {
                return;
            }

            // add + delete + define in one transaction: the old rules stay in force until the new ones are.
            await NftCommand.ApplyAsync($"add table ip {Name}\ndelete table ip {Name}\ntable ip {Name} {{\n{body}}}\n").ConfigureAwait(false);
            _applied = body;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Removes the table (nothing happens when it does not exist).</summary>
    public async Task DeleteAsync()
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            await NftCommand.ApplyAsync($"add table ip {Name}\ndelete table ip {Name}\n").ConfigureAwait(false);
            _applied = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Deletes every pgreplica table whose range no running sandbox claims (its owner died without cleaning up), so that
    /// stale rules cannot catch the traffic of the next sandbox that takes the range.
    /// </summary>
    public static async Task RemoveAbandonedAsync()
    {
        foreach (var table in await NftCommand.TablesAsync().ConfigureAwait(false))
        {
            if (!table.StartsWith(Prefix, StringComparison.Ordinal)
                || !byte.TryParse(table[(table.LastIndexOf('_') + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out var octet))
            {
                continue;
            }

            // Holding the claim while deleting keeps a sandbox that starts meanwhile from building on the range.
            using var claim = RangeClaim.TryTake(octet);
            if (claim is not null)
            {
                await NftCommand.ApplyAsync($"add table ip {table}\ndelete table ip {table}\n").ConfigureAwait(false);
            }
        }
    }
}
