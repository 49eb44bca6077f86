using PgReplica.Sandbox;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Node;

namespace PgReplica.EndToEnd.Tests;

/// <summary>Lets the node agent and the Service proxies run as sandbox components.</summary>
public sealed class SandboxComponent(Func<CancellationToken, Task> start, Func<ValueTask> stop) : ISandboxComponent
{
    public static SandboxComponent Of(NodeAgent agent) => new(agent.StartAsync, agent.DisposeAsync);

    public static SandboxComponent Of(ServiceProxies proxies) => new(proxies.StartAsync, proxies.DisposeAsync);

    public Task StartAsync(CancellationToken cancellationToken) => start(cancellationToken);

    public ValueTask DisposeAsync() => stop();
}
