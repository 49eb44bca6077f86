using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Kube.Tests.Fakes;

/// <summary>Generates a CA, a server certificate for 127.0.0.1 signed by it, and a self-signed client certificate.</summary>
internal sealed class TestCertificates
{
    private TestCertificates(X509Certificate2 ca, X509Certificate2 server, X509Certificate2 client)
    {
        Ca = ca;
        Server = server;
        Client = client;
    }

    public X509Certificate2 Ca { get; }

    public X509Certificate2 Server { get; }

    public X509Certificate2 Client { get; }

    public static TestCertificates Create(string caName = "CN=test-ca")
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caReq = new CertificateRequest(caName, caKey, HashAlgorithmName.SHA256);
        caReq.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caReq.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        var now = DateTimeOffset.UtcNow;
        var ca = caReq.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        using var serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var serverReq = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        serverReq.CertificateExtensions.Add(san.Build());
        serverReq.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using var signed = serverReq.Create(ca, now.AddDays(-1), now.AddDays(30), [1, 2, 3, 4]);
        var server = signed.CopyWithPrivateKey(serverKey);

        using var clientKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var clientReq = new CertificateRequest("CN=kube-admin, O=system:masters", clientKey, HashAlgorithmName.SHA256);
        clientReq.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        var client = clientReq.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));

        return new TestCertificates(ca, server, client);
    }

    public static string Base64Pem(X509Certificate2 cert) => Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(cert.ExportCertificatePem()));

    public static string Base64KeyPem(X509Certificate2 cert) =>
        Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(cert.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()));
}
