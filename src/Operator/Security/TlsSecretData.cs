using System.Text;

namespace PgReplica.Operator.Security;

/// <summary>
/// The cert-manager shape of a TLS Secret (<c>kubernetes.io/tls</c> plus <c>ca.crt</c>): the one place that
/// knows its keys. Values are PEM text, stored as UTF-8 bytes as Secret <c>data</c> holds them.
/// </summary>
public static class TlsSecretData
{
    /// <summary>The certificate, followed by any intermediates.</summary>
    public const string Certificate = "tls.crt";

    /// <summary>The unencrypted private key of <see cref="Certificate"/>.</summary>
    public const string PrivateKey = "tls.key";

    /// <summary>The CA that verifies <see cref="Certificate"/>: clients' and standbys' <c>sslrootcert</c>.</summary>
    public const string Authority = "ca.crt";

    /// <summary>The Secret <c>data</c> for a certificate, its key and the CA that issued it.</summary>
    public static Dictionary<string, byte[]> Build(string certificatePem, string privateKeyPem, string authorityPem) => new()
    {
        [Certificate] = Encoding.UTF8.GetBytes(certificatePem),
        [PrivateKey] = Encoding.UTF8.GetBytes(privateKeyPem),
        [Authority] = Encoding.UTF8.GetBytes(authorityPem),
    };

    /// <summary>The PEM text under <paramref name="key"/>, or null when the key is absent or empty.</summary>
    public static string? Read(IReadOnlyDictionary<string, byte[]>? data, string key) =>
        data is not null && data.TryGetValue(key, out var bytes) && bytes is { Length: > 0 }
            ? Encoding.UTF8.GetString(bytes)
            : null;
}
