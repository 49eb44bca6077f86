namespace PgReplica.Kube.Client;

/// <summary>The bearer token: fixed, or read from a file and re-read whenever the file changes (token rotation).</summary>
internal sealed class TokenSource(string? fixedToken, string? tokenFile)
{
    private readonly Lock gate = new();
    private DateTime readAt = DateTime.MinValue;
    private long readLength = -1;
    private string? cached;

    public string? Current()
    {
        if (tokenFile is null)
        {
            return fixedToken;
        }

        var info = new FileInfo(tokenFile);
        lock (gate)
        {
            if (cached is null || info.LastWriteTimeUtc != readAt || info.Length != readLength)
            {
                cached = File.ReadAllText(tokenFile).Trim();
                readAt = info.LastWriteTimeUtc;
                readLength = info.Length;
            }

            return cached;
        }
    }
}
