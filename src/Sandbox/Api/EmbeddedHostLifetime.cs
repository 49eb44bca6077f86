using Microsoft.Extensions.Hosting;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// A host lifetime that leaves the process alone: the API server runs inside another program (the CLI, tests),
/// so it must not take over Ctrl+C and SIGTERM as ASP.NET Core's console lifetime does.
/// </summary>
internal sealed class EmbeddedHostLifetime : IHostLifetime
{
    /// <inheritdoc />
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <inheritdoc />
    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
