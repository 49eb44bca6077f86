using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Kube.Client;

/// <summary>Where the API server is and how to authenticate to it (named after KubernetesClient's class).</summary>
public sealed class KubernetesClientConfiguration
{
    /// <summary>Default in-cluster service-account directory.</summary>
    public const string ServiceAccountPath = "/var/run/secrets/kubernetes.io/serviceaccount";

    /// <summary>Server base address, e.g. <c>https://127.0.0.1:6443</c>.</summary>
    public required Uri Host { get; init; }

    /// <summary>Namespace of the selected context (or of the service account in-cluster); may be null.</summary>
    public string? Namespace { get; init; }

    /// <summary>A fixed bearer token.</summary>
    public string? AccessToken { get; init; }

    /// <summary>A file holding the bearer token, re-read when it changes (projected service-account tokens rotate).</summary>
    public string? TokenFile { get; init; }

    /// <summary>Client certificate with its private key for mutual TLS.</summary>
    public X509Certificate2? ClientCertificate { get; init; }

    /// <summary>CA certificates the server certificate must chain to; null means the system trust store.</summary>
    public X509Certificate2Collection? CaCertificates { get; init; }

    /// <summary>Accept any server certificate (kubeconfig <c>insecure-skip-tls-verify</c>).</summary>
    public bool SkipTlsVerify { get; init; }

    /// <summary>Timeout for ordinary (non-watch) requests.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(100);

    /// <summary>Reads a kubeconfig file: <paramref name="path"/>, else $KUBECONFIG (first entry), else ~/.kube/config.</summary>
    public static KubernetesClientConfiguration BuildConfigFromConfigFile(string? path = null, string? context = null) =>
        KubeconfigLoader.Load(path ?? DefaultKubeconfigPath(), context);

    /// <summary>Parses kubeconfig YAML text.</summary>
    public static KubernetesClientConfiguration BuildConfigFromConfigText(string yaml, string? context = null) =>
        KubeconfigLoader.Parse(yaml, context, baseDirectory: null);

    /// <summary>True when KUBERNETES_SERVICE_HOST/PORT are set and the service-account token exists.</summary>
    public static bool IsInCluster(string serviceAccountPath = ServiceAccountPath) =>
        InClusterLoader.IsInCluster(serviceAccountPath);

    /// <summary>In-cluster config from the environment and the service-account directory.</summary>
    public static KubernetesClientConfiguration InClusterConfig(string serviceAccountPath = ServiceAccountPath) =>
        InClusterLoader.Load(serviceAccountPath);

    /// <summary>In-cluster config when running in a pod, else the kubeconfig file.</summary>
    public static KubernetesClientConfiguration BuildDefaultConfig() =>
        IsInCluster() ? InClusterConfig() : BuildConfigFromConfigFile();

    /// <summary>$KUBECONFIG's first path, else ~/.kube/config.</summary>
    public static string DefaultKubeconfigPath()
    {
        var env = Environment.GetEnvironmentVariable("KUBECONFIG");
        if (!string.IsNullOrWhiteSpace(env))
        {
            return env.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)[0];
        }

        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".kube", "config");
    }
}
