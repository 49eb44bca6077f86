using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Operator.Security;

/// <summary>Reads certificates and private keys from PEM text, turning every failure into a sentence a user can act on.</summary>
public static class PemCertificates
{
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string RsaPublicKeyOid = "1.2.840.113549.1.1.1";

    /// <summary>All certificates in <paramref name="pem"/>, in order; empty when there are none or it is null.</summary>
    public static X509Certificate2Collection ReadAll(string? pem)
    {
        var certificates = new X509Certificate2Collection();
        if (!string.IsNullOrWhiteSpace(pem))
        {
            try
            {
                certificates.ImportFromPem(pem);
            }
            catch (CryptographicException)
            {
                // An unparsable block: the caller reports "no certificate" for an empty result.
                certificates.Clear();
            }
        }

        return certificates;
    }

    /// <summary>The first certificate in <paramref name="pem"/> (the leaf, by convention), or null with a problem added.</summary>
    public static X509Certificate2? ReadFirst(string? pem, string field, ICollection<string> problems)
    {
        if (string.IsNullOrWhiteSpace(pem))
        {
            problems.Add($"{field} is missing or empty");
            return null;
        }

        try
        {
            return X509Certificate2.CreateFromPem(pem);
        }
        catch (CryptographicException e)
        {
            problems.Add($"{field} holds no readable PEM certificate ({e.Message.TrimEnd('.')})");
            return null;
        }
    }

    /// <summary>
    /// <paramref name="certificate"/> with the private key from <paramref name="keyPem"/> attached, or null with a
    /// problem added when the key is missing, encrypted, of an unsupported type, or not the certificate's.
    /// </summary>
    public static X509Certificate2? WithPrivateKey(X509Certificate2 certificate, string? keyPem, string keyField, string certificateField, ICollection<string> problems)
    {
        if (string.IsNullOrWhiteSpace(keyPem))
        {
            problems.Add($"{keyField} is missing or empty");
            return null;
        }

        if (keyPem.Contains("-----BEGIN ENCRYPTED PRIVATE KEY-----", StringComparison.Ordinal))
        {
            problems.Add($"{keyField} is encrypted; PostgreSQL needs an unencrypted private key");
            return null;
        }

        var algorithm = certificate.GetKeyAlgorithm();
        try
        {
            switch (algorithm)
            {
                case EcPublicKeyOid:
                    {
                        using var key = ECDsa.Create();
                        key.ImportFromPem(keyPem);
                        return certificate.CopyWithPrivateKey(key);
                    }

                case RsaPublicKeyOid:
                    {
                        using var key = RSA.Create();
                        key.ImportFromPem(keyPem);
                        return certificate.CopyWithPrivateKey(key);
                    }

                default:
                    problems.Add($"the certificate in {certificateField} has a key of type {algorithm}; only ECDSA and RSA keys are supported");
                    return null;
            }
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            // ImportFromPem throws ArgumentException for no usable PEM block, CryptographicException for a key
            // of another type or bad encoding; CopyWithPrivateKey throws ArgumentException when the key is another's.
            problems.Add($"{keyField} is not the private key of the certificate in {certificateField}");
            return null;
        }
    }

    /// <summary>The certificate as PEM, ending in a newline so that files holding several concatenate cleanly.</summary>
    public static string Export(X509Certificate2 certificate) => certificate.ExportCertificatePem() + "\n";

    /// <summary>A private key as unencrypted PKCS#8 PEM, ending in a newline.</summary>
    public static string Export(AsymmetricAlgorithm key) => key.ExportPkcs8PrivateKeyPem() + "\n";

    /// <summary>PKCS#8 PEM of the certificate's private key (ECDSA or RSA); throws when it has none.</summary>
    public static string ExportPrivateKeyPem(X509Certificate2 certificate)
    {
        using AsymmetricAlgorithm key = (AsymmetricAlgorithm?)certificate.GetECDsaPrivateKey()
            ?? certificate.GetRSAPrivateKey()
            ?? throw new InvalidOperationException("the certificate has no ECDSA or RSA private key");
        return Export(key);
    }
}
