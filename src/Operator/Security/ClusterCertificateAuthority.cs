using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using PgReplica.Entities.Naming;

namespace PgReplica.Operator.Security;

/// <summary>
/// A cluster's CA: its certificate with the private key. The operator creates one per cluster and keeps it in the
/// Secret <c>&lt;name&gt;-ca</c> in the cert-manager shape (<c>tls.crt</c>, <c>tls.key</c>, <c>ca.crt</c>), or loads
/// the user's CA Secret of the same shape. Only the operator reads that Secret; pods get <c>ca.crt</c> alone.
/// </summary>
public sealed class ClusterCertificateAuthority : IDisposable
{
    private readonly X509Certificate2 certificate;

    private ClusterCertificateAuthority(X509Certificate2 certificateWithKey)
    {
        certificate = certificateWithKey;
        CertificatePem = PemCertificates.Export(certificateWithKey);
    }

    /// <summary>The CA certificate as PEM: what clients use as <c>sslrootcert</c> and servers as <c>ssl_ca_file</c>.</summary>
    public string CertificatePem { get; }

    /// <summary>End of the CA's validity; nothing it issues outlives it.</summary>
    public DateTimeOffset NotAfter => CertificateDates.NotAfter(certificate);

    /// <summary>The CA certificate without its private key, for chain checks (a new instance; the caller disposes it).</summary>
    public X509Certificate2 PublicCertificate() => X509CertificateLoader.LoadCertificate(certificate.RawData);

    /// <summary>A new self-signed CA for <paramref name="cluster"/> in <paramref name="namespace"/>, valid from <paramref name="now"/>.</summary>
    public static ClusterCertificateAuthority Create(string cluster, string @namespace, DateTimeOffset now, TimeSpan? validity = null)
    {
        var names = new ClusterNames(cluster);
        ArgumentException.ThrowIfNullOrEmpty(@namespace);
        var subject = new X500DistinguishedNameBuilder();
        subject.AddOrganizationName("pgreplica");
        subject.AddOrganizationalUnitName(@namespace);
        subject.AddCommonName($"{names.Cluster} CA");

        using var key = CertificateKeys.Create();
        var request = new CertificateRequest(subject.Build(), key, CertificateKeys.SignatureHash);
        // pathLen 0: this CA signs server and client certificates only, never another CA.
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(
            X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign | X509KeyUsageFlags.DigitalSignature, critical: true));
        request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, critical: false));
        var notBefore = now - CertificateValidity.ClockSkewAllowance;
        return new ClusterCertificateAuthority(request.CreateSelfSigned(notBefore, now + (validity ?? CertificateValidity.Authority)));
    }

    /// <summary>
    /// The CA in a cert-manager shaped Secret's <c>data</c> (<c>tls.crt</c> and <c>tls.key</c>), or null with the
    /// reasons it cannot sign, phrased for a status condition: missing or mismatched key, not a CA, expired.
    /// </summary>
    public static ClusterCertificateAuthority? TryLoad(IReadOnlyDictionary<string, byte[]>? data, DateTimeOffset now, out IReadOnlyList<string> problems)
    {
        var found = new List<string>();
        problems = found;
        using var certificate = PemCertificates.ReadFirst(TlsSecretData.Read(data, TlsSecretData.Certificate), TlsSecretData.Certificate, found);
        if (certificate is null)
        {
            return null;
        }

        var basic = certificate.Extensions.OfType<X509BasicConstraintsExtension>().FirstOrDefault();
        if (basic is not { CertificateAuthority: true })
        {
            found.Add($"the certificate in {TlsSecretData.Certificate} is not a CA (basicConstraints CA:TRUE is missing)");
        }

        var usage = certificate.Extensions.OfType<X509KeyUsageExtension>().FirstOrDefault();
        if (usage is not null && !usage.KeyUsages.HasFlag(X509KeyUsageFlags.KeyCertSign))
        {
            found.Add($"the certificate in {TlsSecretData.Certificate} may not sign certificates (keyUsage lacks keyCertSign)");
        }

        if (CertificateDates.Problem(certificate, now, TlsSecretData.Certificate) is { } expired)
        {
            found.Add(expired);
        }

        var withKey = PemCertificates.WithPrivateKey(certificate, TlsSecretData.Read(data, TlsSecretData.PrivateKey),
            TlsSecretData.PrivateKey, TlsSecretData.Certificate, found);
        if (found.Count > 0)
        {
            withKey?.Dispose();
            return null;
        }

        return new ClusterCertificateAuthority(withKey!);
    }

    /// <summary>The Secret <c>data</c> for <c>&lt;name&gt;-ca</c>: <c>tls.crt</c> and <c>ca.crt</c> the CA, <c>tls.key</c> its key.</summary>
    public Dictionary<string, byte[]> ToSecretData() =>
        TlsSecretData.Build(CertificatePem, PemCertificates.ExportPrivateKeyPem(certificate), CertificatePem);

    /// <summary>
    /// Signs <paramref name="request"/> with this CA: a random 16-byte serial, the CA's key identifier (when it
    /// has one; a user's old CA may not), and a validity cut to the CA's own (a certificate outliving its issuer
    /// would fail verification anyway).
    /// </summary>
    internal X509Certificate2 Sign(CertificateRequest request, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        if (certificate.Extensions.OfType<X509SubjectKeyIdentifierExtension>().Any())
        {
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(certificate, includeKeyIdentifier: true, includeIssuerAndSerial: false));
        }

        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x40); // positive and exactly 16 bytes in DER
        var end = notAfter < NotAfter ? notAfter : NotAfter;
        var start = notBefore > CertificateDates.NotBefore(certificate) ? notBefore : CertificateDates.NotBefore(certificate);
        using var ecdsa = certificate.GetECDsaPrivateKey();
        using var rsa = ecdsa is null ? certificate.GetRSAPrivateKey() : null;
        var generator = ecdsa is not null
            ? X509SignatureGenerator.CreateForECDsa(ecdsa)
            : X509SignatureGenerator.CreateForRSA(rsa ?? throw new InvalidOperationException("the CA has no ECDSA or RSA private key"), RSASignaturePadding.Pkcs1);
        return request.Create(certificate.SubjectName, generator, start, end, serial);
    }

    /// <inheritdoc />
    public void Dispose() => certificate.Dispose();
}
