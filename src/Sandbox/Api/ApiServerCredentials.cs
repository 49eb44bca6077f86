using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// What a client needs to trust the sandbox's API server and be let in: a CA of the sandbox's own, a serving
/// certificate it signed for 127.0.0.1 and localhost, and a bearer token from a cryptographic RNG. Kept under
/// &lt;dir&gt;/pki (root only) so that a restarted sandbox keeps them, as a real cluster keeps its CA.
/// </summary>
public sealed class ApiServerCredentials : IDisposable
{
    private const string CaFile = "ca.crt";
    private const string CaKeyFile = "ca.key";
    private const string TokenFile = "token";

    private ApiServerCredentials(X509Certificate2 ca, X509Certificate2 serving, string token)
    {
        CertificateAuthority = ca;
        ServingCertificate = serving;
        Token = token;
    }

    /// <summary>The CA that signed the serving certificate (public part only).</summary>
    public X509Certificate2 CertificateAuthority { get; }

    /// <summary>The serving certificate, with its private key.</summary>
    public X509Certificate2 ServingCertificate { get; }

    /// <summary>The bearer token every request except health and version must carry.</summary>
    public string Token { get; }

    /// <summary>The CA as PEM, for a kubeconfig's certificate-authority-data.</summary>
    public string CertificateAuthorityPem => CertificateAuthority.ExportCertificatePem();

    /// <summary>Fresh credentials that live in memory only (tests that start an API server without a directory).</summary>
    public static ApiServerCredentials CreateEphemeral()
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var ca = CreateAuthority(caKey);
        return new ApiServerCredentials(PublicPart(ca), IssueServing(ca), NewToken());
    }

    /// <summary>Loads the credentials kept in <paramref name="directory"/>, creating what is missing.</summary>
    public static ApiServerCredentials LoadOrCreate(string directory)
    {
        Directory.CreateDirectory(directory);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var caPath = Path.Combine(directory, CaFile);
        var caKeyPath = Path.Combine(directory, CaKeyFile);
        X509Certificate2 ca;
        if (File.Exists(caPath) && File.Exists(caKeyPath))
        {
            ca = X509Certificate2.CreateFromPemFile(caPath, caKeyPath);
        }
        else
        {
            using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            ca = CreateAuthority(caKey);
            PrivateFile.Write(caKeyPath, caKey.ExportPkcs8PrivateKeyPem());
            PrivateFile.Write(caPath, ca.ExportCertificatePem());
        }

        var tokenPath = Path.Combine(directory, TokenFile);
        var token = File.Exists(tokenPath) ? File.ReadAllText(tokenPath).Trim() : "";
        if (token.Length == 0)
        {
            token = NewToken();
            PrivateFile.Write(tokenPath, token);
        }

        // The serving certificate is cheap to make and is not persisted: a new one each start, signed by the kept CA.
        using (ca)
        {
            return new ApiServerCredentials(PublicPart(ca), IssueServing(ca), token);
        }
    }

    /// <summary>Whether <paramref name="presented"/> is this token, compared in constant time.</summary>
    public bool Accepts(string? presented) =>
        presented is not null &&
        CryptographicOperations.FixedTimeEquals(System.Text.Encoding.UTF8.GetBytes(presented), System.Text.Encoding.UTF8.GetBytes(Token));

    /// <summary>An HTTP handler that trusts only this CA, for in-process clients and tests.</summary>
    public SocketsHttpHandler CreateTrustingHandler()
    {
        var handler = new SocketsHttpHandler();
        var ca = CertificateAuthority;
        handler.SslOptions.RemoteCertificateValidationCallback = (_, cert, _, errors) =>
        {
            if (cert is null || errors.HasFlag(System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch))
            {
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.Add(ca);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            return chain.Build(cert as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(cert.GetRawCertData()));
        };
        return handler;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        CertificateAuthority.Dispose();
        ServingCertificate.Dispose();
    }

    private static X509Certificate2 CreateAuthority(ECDsa key)
    {
        var request = new CertificateRequest("CN=pgreplica-sandbox-ca", key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
        var now = DateTimeOffset.UtcNow;
        return request.CreateSelfSigned(now.AddMinutes(-5), now.AddYears(10));
    }

    private static X509Certificate2 IssueServing(X509Certificate2 ca)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=pgreplica-sandbox-apiserver", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        var now = DateTimeOffset.UtcNow;
        var notAfter = now.AddYears(1) < ca.NotAfter ? now.AddYears(1) : ca.NotAfter;
        using var issued = request.Create(ca, now.AddMinutes(-5), notAfter, RandomNumberGenerator.GetBytes(16));
        using var withKey = issued.CopyWithPrivateKey(key);
        // Kestrel on Linux wants a certificate whose key is not an ephemeral handle: round-trip through PKCS#12.
        return X509CertificateLoader.LoadPkcs12(withKey.Export(X509ContentType.Pkcs12), null);
    }

    private static X509Certificate2 PublicPart(X509Certificate2 cert) => X509CertificateLoader.LoadCertificate(cert.RawData);

    private static string NewToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
