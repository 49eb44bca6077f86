using System.Text;
using PgReplica.Sandbox.Api;

namespace PgReplica.Sandbox;

/// <summary>Writes the kubeconfig that points kubectl and the operator at the sandbox (context "sandbox": its CA and bearer token).</summary>
public static class Kubeconfig
{
    /// <summary>The kubeconfig text for a server URL and the credentials it serves with.</summary>
    public static string Render(Uri server, ApiServerCredentials credentials, string defaultNamespace = "default") => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: sandbox
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
            certificate-authority-data: {Convert.ToBase64String(Encoding.ASCII.GetBytes(credentials.CertificateAuthorityPem))}
        users:
        - name: sandbox
          user:
            token: {credentials.Token}
        contexts:
        - name: sandbox
          context:
            cluster: sandbox
            user: sandbox
            namespace: {defaultNamespace}
        current-context: sandbox
        preferences: {"{}"}

        """;

    /// <summary>Writes the kubeconfig to path, readable by the owner only (it holds the token).</summary>
    public static void Write(string path, Uri server, ApiServerCredentials credentials) => PrivateFile.Write(path, Render(server, credentials));
}
