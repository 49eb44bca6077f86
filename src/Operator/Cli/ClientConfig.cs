using PgReplica.Kube.Client;

namespace PgReplica.Operator.Cli;

/// <summary>Chooses the client configuration as kubectl and client-go do.</summary>
public static class ClientConfig
{
    /// <summary>An explicit kubeconfig, else $KUBECONFIG / ~/.kube/config, else in-cluster.</summary>
    public static KubernetesClientConfiguration Load(string? kubeconfig) =>
        kubeconfig is not null ? KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig) : KubernetesClientConfiguration.BuildDefaultConfig();

    /// <summary>The namespace this process runs in: $POD_NAMESPACE, the service account's, else default.</summary>
    public static string OwnNamespace()
    {
        if (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } fromEnv)
        {
            return fromEnv;
        }

        const string file = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";
        return File.Exists(file) ? File.ReadAllText(file).Trim() : "default";
    }
}
