using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox;

/// <summary>How to start a sandbox.</summary>
public sealed record SandboxOptions
{
    /// <summary>Where the sandbox keeps its state (objects under state/, the kubeconfig, pod data).</summary>
    public required string Directory { get; init; }

    /// <summary>Wipe the saved objects before starting.</summary>
    public bool Reset { get; init; }

    /// <summary>API server port on 127.0.0.1; 0 picks a free one.</summary>
    public int Port { get; init; }

    /// <summary>Serves logs and exec; when null, the first component that implements <see cref="IPodRuntime"/> does (the node agent).</summary>
    public IPodRuntime? PodRuntime { get; init; }

    /// <summary>Builds the components that run beside the API server (node agent, Service proxies), started in order.</summary>
    public IReadOnlyList<Func<IObjectStore, ISandboxComponent>> Components { get; init; } = [];
}
