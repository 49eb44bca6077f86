namespace PgReplica.Kube.Tests.Harness;

/// <summary>Bounded polling: waits for a condition with a generous timeout instead of asserting on timing.</summary>
internal static class Eventually
{
    public static async Task TrueAsync(Func<bool> condition, int timeoutSeconds = 20, string? because = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"condition not met within {timeoutSeconds}s{(because is null ? "" : ": " + because)}");
            }

            await Task.Delay(20);
        }
    }

    public static async Task TrueAsync(Func<Task<bool>> condition, int timeoutSeconds = 20, string? because = null)
    {
        var deadline = DateTime.UtcNow.AddSeconds(timeoutSeconds);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"condition not met within {timeoutSeconds}s{(because is null ? "" : ": " + because)}");
            }

            await Task.Delay(20);
        }
    }
}
