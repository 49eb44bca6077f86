namespace PgReplica.Sandbox;

/// <summary>What the API server needs from the node agent to serve <c>kubectl logs</c> and <c>kubectl exec</c>.</summary>
public interface IPodRuntime
{
    /// <summary>Path of the container's log file (current run, or previous run when <paramref name="previous"/>), or null if it has none.</summary>
    string? LogPath(string ns, string pod, string container, bool previous = false);

    /// <summary>
    /// Runs command inside the container's environment (its mount namespace, env, user) and pumps the streams.
    /// Returns the exit code. stdin is null when the client sent none; with tty the process gets a pseudo-terminal.
    /// </summary>
    Task<int> ExecAsync(ExecRequest request, CancellationToken cancellationToken);
}

/// <summary>One exec into a running container.</summary>
public sealed record ExecRequest(
    string Namespace,
    string Pod,
    string? Container,
    IReadOnlyList<string> Command,
    Stream? Stdin,
    Stream Stdout,
    Stream? Stderr,
    bool Tty);
