using k8s;
using k8s.Models;

// Code for ClientCallScanTests to read: the call shapes the operator uses (inferred type arguments,
// generic helpers, lambdas, async state machines, generic classes), against a client of its own.
namespace PgReplica.Operator.Tests.Manifests.Rbac.Sample;

/// <summary>A stand-in for the Kubernetes client's surface.</summary>
internal interface ISampleClient
{
    Task<T> CreateAsync<T>(T obj) where T : class;

    Task<T> ReplaceAsync<T>(T obj) where T : class;

    Task<T?> GetAsync<T>(string name) where T : class;

    Task DeleteAsync<T>(string name) where T : class;

    IAsyncEnumerable<T> WatchAsync<T>() where T : class;
}

/// <summary>A generic component whose calls name only <c>T</c>, like the runtime's watcher.</summary>
internal sealed class SampleWatcher<T>(ISampleClient client) where T : class
{
    public async Task<int> CountAsync()
    {
        var count = 0;
        await foreach (var item in client.WatchAsync<T>())
        {
            count++;
        }
        return count;
    }
}

/// <summary>The root: what a reconciler does.</summary>
internal sealed class SampleReconciler(ISampleClient client)
{
    public async Task ReconcileAsync()
    {
        await client.CreateAsync(new V1Pod());
        await ApplyAsync(new V1Service());
        Func<Task> cleanup = async () => await client.DeleteAsync<V1PersistentVolumeClaim>("data");
        await cleanup();
        await new SampleWatcher<V1Secret>(client).CountAsync();
    }

    private Task<T> ApplyAsync<T>(T obj) where T : class => client.ReplaceAsync(obj);
}

/// <summary>Not reachable from the root: its call must not be found.</summary>
internal sealed class SampleUnreachable(ISampleClient client)
{
    public Task<V1Lease?> ReadAsync() => client.GetAsync<V1Lease>("lock");
}
