namespace PgReplica.Kube.Client;

/// <summary>Builds the in-cluster configuration: API address from the environment, token and CA from the service-account directory.</summary>
internal static class InClusterLoader
{
    public static bool IsInCluster(string saPath) =>
        !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST"))
        && !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT"))
        && File.Exists(Path.Combine(saPath, "token"));

    public static KubernetesClientConfiguration Load(string saPath)
    {
        var host = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_HOST");
        var port = Environment.GetEnvironmentVariable("KUBERNETES_SERVICE_PORT");
        if (string.IsNullOrEmpty(host) || string.IsNullOrEmpty(port))
        {
            throw new KubeConfigException("not in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set");
        }

        var tokenFile = Path.Combine(saPath, "token");
        if (!File.Exists(tokenFile))
        {
            throw new KubeConfigException($"service-account token missing: {tokenFile}");
        }

        var caFile = Path.Combine(saPath, "ca.crt");
        var nsFile = Path.Combine(saPath, "namespace");
        // IPv6 service hosts need brackets in a URI.
        var hostPart = host.Contains(':') && !host.StartsWith('[') ? $"[{host}]" : host;
        return new KubernetesClientConfiguration
        {
            Host = new Uri($"https://{hostPart}:{port}"),
            TokenFile = tokenFile,
            CaCertificates = File.Exists(caFile) ? KubeconfigLoader.LoadPemCollection(File.ReadAllText(caFile)) : null,
            Namespace = File.Exists(nsFile) ? File.ReadAllText(nsFile).Trim() : null,
        };
    }
}
