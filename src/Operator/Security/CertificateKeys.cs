using System.Security.Cryptography;

namespace PgReplica.Operator.Security;

/// <summary>The key type of every key pair the operator generates: ECDSA on NIST P-256, signed with SHA-256.</summary>
/// <remarks>
/// Why P-256 and not RSA: PostgreSQL's OpenSSL, libpq, Npgsql (SslStream), JDBC, psycopg and Go's pgx all accept it;
/// it is what CloudNativePG issues too. A P-256 key is generated in well under a millisecond where RSA-3072 takes
/// a noticeable fraction of a second on a busy node, keys and certificates are a fraction of RSA's size, and its
/// ~128-bit strength matches RSA-3072. Clients too old for ECDSA (pre-2010 OpenSSL) are not a target.
/// </remarks>
public static class CertificateKeys
{
    /// <summary>The signature hash used with <see cref="Create"/> keys.</summary>
    public static readonly HashAlgorithmName SignatureHash = HashAlgorithmName.SHA256;

    /// <summary>A new key pair from the platform's cryptographic RNG; the caller disposes it.</summary>
    public static ECDsa Create() => ECDsa.Create(ECCurve.NamedCurves.nistP256);
}
