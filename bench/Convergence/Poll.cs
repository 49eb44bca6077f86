using Npgsql;
using PgReplica.Kube.Client;

namespace PgReplica.Bench.Convergence;

/// <summary>Bounded polling: asks until the probe says yes, tolerating transient connection errors.</summary>
public static class Poll
{
    /// <summary>Polls every <paramref name="interval"/> until <paramref name="probe"/> is true; throws TimeoutException after <paramref name="timeout"/>, with <paramref name="describe"/>'s view of the last state.</summary>
    public static async Task UntilAsync(Func<CancellationToken, Task<bool>> probe, TimeSpan interval, TimeSpan timeout, string what, CancellationToken ct, Func<string>? describe = null)
    {
        var deadline = DateTime.UtcNow + timeout;
        string last = "no answer yet";
        while (true)
        {
            try
            {
                if (await probe(ct))
                {
                    return;
                }

                last = describe?.Invoke() ?? "not yet";
            }
            catch (Exception e) when (e is NpgsqlException or KubernetesApiException or HttpRequestException or InvalidOperationException && !ct.IsCancellationRequested)
            {
                last = e.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}; last: {last}");
            }

            await Task.Delay(interval, ct);
        }
    }
}
