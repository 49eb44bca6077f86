using System.Security.Cryptography.X509Certificates;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace PgReplica.Kube.Client;

/// <summary>Reads the parts of a kubeconfig the client uses: current context, cluster server/CA, user token/cert/key.</summary>
internal static class KubeconfigLoader
{
    public static KubernetesClientConfiguration Load(string path, string? context)
    {
        if (!File.Exists(path))
        {
            throw new KubeConfigException($"kubeconfig not found: {path}");
        }

        return Parse(File.ReadAllText(path), context, Path.GetDirectoryName(Path.GetFullPath(path)));
    }

    public static KubernetesClientConfiguration Parse(string yaml, string? contextName, string? baseDirectory)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            throw new KubeConfigException("kubeconfig is empty");
        }

        contextName ??= Scalar(root, "current-context");
        if (string.IsNullOrEmpty(contextName))
        {
            throw new KubeConfigException("kubeconfig has no current-context and none was given");
        }

        var context = Named(root, "contexts", contextName, "context");
        var clusterName = Scalar(context, "cluster") ?? throw new KubeConfigException($"context {contextName} names no cluster");
        var cluster = Named(root, "clusters", clusterName, "cluster");
        var userName = Scalar(context, "user");
        var user = userName is null ? null : Named(root, "users", userName, "user");

        var server = Scalar(cluster, "server") ?? throw new KubeConfigException($"cluster {clusterName} has no server");
        if (user is not null && user.Children.ContainsKey(new YamlScalarNode("exec")))
        {
            throw new NotSupportedException($"kubeconfig user {userName} uses an exec credential plugin, which this client does not support; use a token or client certificate.");
        }

        if (user is not null && user.Children.ContainsKey(new YamlScalarNode("auth-provider")))
        {
            throw new NotSupportedException($"kubeconfig user {userName} uses an auth-provider, which this client does not support.");
        }

        var caPem = PemOf(cluster, "certificate-authority-data", "certificate-authority", baseDirectory);
        var certPem = user is null ? null : PemOf(user, "client-certificate-data", "client-certificate", baseDirectory);
        var keyPem = user is null ? null : PemOf(user, "client-key-data", "client-key", baseDirectory);
        if ((certPem is null) != (keyPem is null))
        {
            throw new KubeConfigException($"kubeconfig user {userName} has a client certificate without a key or a key without a certificate");
        }

        var tokenFile = user is null ? null : Scalar(user, "tokenFile");
        return new KubernetesClientConfiguration
        {
            Host = new Uri(server),
            Namespace = Scalar(context, "namespace"),
            AccessToken = user is null ? null : Scalar(user, "token"),
            TokenFile = tokenFile is null ? null : Resolve(tokenFile, baseDirectory),
            ClientCertificate = certPem is null ? null : X509Certificate2.CreateFromPem(certPem, keyPem),
            CaCertificates = caPem is null ? null : LoadPemCollection(caPem),
            SkipTlsVerify = string.Equals(Scalar(cluster, "insecure-skip-tls-verify"), "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    internal static X509Certificate2Collection LoadPemCollection(string pem)
    {
        var collection = new X509Certificate2Collection();
        collection.ImportFromPem(pem);
        if (collection.Count == 0)
        {
            throw new KubeConfigException("certificate authority data holds no certificate");
        }

        return collection;
    }

    private static string? PemOf(YamlMappingNode node, string dataKey, string fileKey, string? baseDirectory)
    {
        var data = Scalar(node, dataKey);
        if (data is not null)
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(data));
        }

        var file = Scalar(node, fileKey);
        return file is null ? null : File.ReadAllText(Resolve(file, baseDirectory));
    }

    private static string Resolve(string path, string? baseDirectory) =>
        Path.IsPathRooted(path) || baseDirectory is null ? path : Path.Combine(baseDirectory, path);

    private static YamlMappingNode Named(YamlMappingNode root, string listKey, string name, string innerKey)
    {
        if (root.Children.TryGetValue(new YamlScalarNode(listKey), out var list) && list is YamlSequenceNode seq)
        {
            foreach (var entry in seq.Children.OfType<YamlMappingNode>())
            {
                if (Scalar(entry, "name") == name && entry.Children.TryGetValue(new YamlScalarNode(innerKey), out var inner))
                {
                    return inner as YamlMappingNode ?? new YamlMappingNode();
                }
            }
        }

        throw new KubeConfigException($"kubeconfig has no {innerKey} named {name}");
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode s && !string.IsNullOrEmpty(s.Value)
            ? s.Value
            : null;
}
