using k8s;
using k8s.Autorest;

namespace PgReplica.Kube.Client;

/// <summary>The one place that uses the package's watch decoding (marked obsolete in favour of per-kind helpers we cannot use generically).</summary>
internal static class WatchStream
{
    /// <summary>Decodes the line-separated watch answer of <paramref name="response"/>.</summary>
    public static IAsyncEnumerable<(WatchEventType, T)> Of<T>(Task<HttpOperationResponse<object>> response, Action<Exception> onError, CancellationToken ct)
    {
#pragma warning disable CS0618 // WatcherExt.WatchAsync<T, L> is the package's only generic watch decoder.
        return response.WatchAsync<T, object>(onError, ct);
#pragma warning restore CS0618
    }
}
