namespace PgReplica.Sandbox;

/// <summary>Writes the kubeconfig that points kubectl and the operator at the sandbox (context "sandbox", no credentials).</summary>
public static class Kubeconfig
{
    /// <summary>The kubeconfig text for a server URL.</summary>
    public static string Render(Uri server, string defaultNamespace = "default") => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
        users:
        - name: sandbox
          user: {"{}"}
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: {defaultNamespace}
        current-context: sandbox
        preferences: {"{}"}

        """;

    /// <summary>Writes the kubeconfig to path (readable by the owner only).</summary>
    public static void Write(string path, Uri server)
    {
        File.WriteAllText(path, Render(server));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }
    }
}
