namespace PgReplica.Kube.Tests.Harness;

/// <summary>A watch answer's body that a test can cut off midway: reads then fail as on a dropped connection.</summary>
internal sealed class CuttableStream(Stream inner) : Stream
{
    private readonly CancellationTokenSource cut = new();

    public bool Ended { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public void Cut() => cut.Cancel();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var both = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, cut.Token);
        try
        {
            var n = await inner.ReadAsync(buffer, both.Token);
            Ended |= n == 0;
            return n;
        }
        catch (OperationCanceledException) when (cut.IsCancellationRequested)
        {
            Ended = true;
            throw new IOException("connection dropped (injected)");
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Ended = true;
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
