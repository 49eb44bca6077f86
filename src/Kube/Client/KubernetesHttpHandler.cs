using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Kube.Client;

/// <summary>Builds the HTTP handler: client certificate, and the server certificate checked against the configured CA only.</summary>
public static class KubernetesHttpHandler
{
    /// <summary>A handler for <paramref name="config"/>: its client certificate, and its CA as the only trust.</summary>
    public static SocketsHttpHandler Create(KubernetesClientConfiguration config)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        };
        if (config.ClientCertificate is not null)
        {
            handler.SslOptions.ClientCertificates = [config.ClientCertificate];
        }

        if (config.SkipTlsVerify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, _, _, _) => true;
        }
        else if (config.CaCertificates is { } ca)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) => ValidateAgainst(ca, cert, errors);
        }

        return handler;
    }

    /// <summary>Accepts the server only when its chain ends at one of <paramref name="ca"/> and its name matches.</summary>
    internal static bool ValidateAgainst(X509Certificate2Collection ca, X509Certificate? cert, SslPolicyErrors errors)
    {
        if (cert is null || errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch) || errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
        {
            return false;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        return chain.Build(cert as X509Certificate2 ?? new X509Certificate2(cert));
    }
}
