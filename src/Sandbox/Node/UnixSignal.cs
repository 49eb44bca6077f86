using System.Runtime.InteropServices;

namespace PgReplica.Sandbox.Node;

/// <summary>Sends POSIX signals; .NET's Process offers only SIGKILL.</summary>
internal static class UnixSignal
{
    /// <summary>SIGINT: postgres's "fast" shutdown (the postgres image's STOPSIGNAL).</summary>
    public const int Interrupt = 2;

    /// <summary>SIGKILL.</summary>
    public const int Kill = 9;

    /// <summary>SIGTERM: the kubelet's default stop signal.</summary>
    public const int Terminate = 15;

    /// <summary>Signals a process (pid &gt; 0) or a process group (pid &lt; 0). False when it no longer exists.</summary>
    public static bool Send(int pid, int signal) => NativeKill(pid, signal) == 0;

    /// <summary>True while the process exists (and is not a reaped zombie).</summary>
    public static bool Alive(int pid) => NativeKill(pid, 0) == 0;

    /// <summary>The signal that stops the process gracefully: SIGINT for a postgres binary (its image's STOPSIGNAL), SIGTERM otherwise.</summary>
    public static int StopSignalFor(int pid)
    {
        try
        {
            return Path.GetFileName(new FileInfo($"/proc/{pid}/exe").LinkTarget) == "postgres" ? Interrupt : Terminate;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Terminate;
        }
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int NativeKill(int pid, int signal);
}
