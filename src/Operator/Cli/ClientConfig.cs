using k8s;
using k8s.KubeConfigModels;

namespace PgReplica.Operator.Cli;

/// <summary>Chooses the client configuration as kubectl and client-go do.</summary>
public static class ClientConfig
{
    /// <summary>An explicit kubeconfig, else $KUBECONFIG / ~/.kube/config, else in-cluster.</summary>
    public static KubernetesClientConfiguration Load(string? kubeconfig)
    {
        var path = kubeconfig ?? Environment.GetEnvironmentVariable("KUBECONFIG")?.Split(Path.PathSeparator).FirstOrDefault(p => p.Length > 0)
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
        if (kubeconfig is null && !File.Exists(path))
        {
            return KubernetesClientConfiguration.BuildDefaultConfig();
        }

        var config = KubernetesClientConfiguration.LoadKubeConfig(path);
        Anonymize(config);
        return KubernetesClientConfiguration.BuildConfigFromConfigObject(config);
    }

    /// <summary>
    /// kubectl treats a user entry without credentials (<c>user: {}</c>) as anonymous; the package refuses it. Drop the
    /// user from the current context in that case so both read the same file the same way.
    /// </summary>
    private static void Anonymize(K8SConfiguration config)
    {
        var context = config.Contexts?.FirstOrDefault(c => c.Name == config.CurrentContext)?.ContextDetails;
        var user = config.Users?.FirstOrDefault(u => u.Name == context?.User)?.UserCredentials;
        if (context is not null && user is not null && user.Token is null && user.ClientCertificateData is null
            && user.UserName is null && user.AuthProvider is null && user.ExternalExecution is null)
        {
            context.User = null;
        }
    }

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
