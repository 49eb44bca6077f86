namespace PgReplica.Sandbox;

/// <summary>A part of the sandbox that runs beside the API server (the node agent, the Service proxies).</summary>
public interface ISandboxComponent : IAsyncDisposable
{
    /// <summary>Starts the component; it works from the store until disposed.</summary>
    Task StartAsync(CancellationToken cancellationToken);
}
