namespace PgReplica.Operator.Security;

/// <summary>A certificate the operator issued, with its private key, as PEM (the key is a secret: never log it).</summary>
/// <param name="CertificatePem">The certificate (<c>tls.crt</c>).</param>
/// <param name="PrivateKeyPem">Its unencrypted PKCS#8 private key (<c>tls.key</c>).</param>
/// <param name="AuthorityPem">The CA that issued it (<c>ca.crt</c>).</param>
/// <param name="NotBefore">Start of validity.</param>
/// <param name="NotAfter">End of validity.</param>
public sealed record IssuedCertificate(string CertificatePem, string PrivateKeyPem, string AuthorityPem, DateTimeOffset NotBefore, DateTimeOffset NotAfter)
{
    /// <summary>The Secret <c>data</c> in the cert-manager shape.</summary>
    public Dictionary<string, byte[]> ToSecretData() => TlsSecretData.Build(CertificatePem, PrivateKeyPem, AuthorityPem);

    /// <summary>Keeps the private key out of logs and exception messages that print the record.</summary>
    public override string ToString() => $"IssuedCertificate {{ NotBefore = {NotBefore:O}, NotAfter = {NotAfter:O} }}";
}
