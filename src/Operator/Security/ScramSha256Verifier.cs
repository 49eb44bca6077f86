using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PgReplica.Operator.Security;

/// <summary>
/// A SCRAM-SHA-256 password verifier as PostgreSQL stores it in <c>pg_authid.rolpassword</c>
/// (RFC 5802 / RFC 7677): <c>SCRAM-SHA-256$&lt;iterations&gt;:&lt;salt&gt;$&lt;StoredKey&gt;:&lt;ServerKey&gt;</c>, base64.
/// Sending it in <c>ALTER ROLE … PASSWORD</c> keeps the plain password out of SQL text and server logs.
/// </summary>
public sealed class ScramSha256Verifier
{
    /// <summary>PostgreSQL's default iteration count (and RFC 7677's minimum).</summary>
    public const int DefaultIterations = 4096;

    /// <summary>Salt length PostgreSQL uses for the verifiers it computes itself.</summary>
    public const int SaltLength = 16;

    private const string Prefix = "SCRAM-SHA-256$";

    private ScramSha256Verifier(int iterations, byte[] salt, byte[] storedKey, byte[] serverKey)
    {
        Iterations = iterations;
        Salt = salt;
        StoredKey = storedKey;
        ServerKey = serverKey;
    }

    /// <summary>PBKDF2 iterations.</summary>
    public int Iterations { get; }

    /// <summary>The random salt.</summary>
    public IReadOnlyList<byte> Salt { get; }

    private byte[] StoredKey { get; }

    private byte[] ServerKey { get; }

    /// <summary>
    /// Why <paramref name="password"/> cannot be turned into a verifier that matches what clients send, or null.
    /// PostgreSQL and libpq normalise passwords with SASLprep, which leaves ASCII untouched; beyond ASCII its
    /// Unicode 3.2 tables decide, so we refuse rather than risk storing a verifier no client can match.
    /// </summary>
    public static string? PasswordProblem(string? password)
    {
        if (string.IsNullOrEmpty(password))
        {
            return "the password is empty";
        }

        if (password.Contains('\0'))
        {
            return "the password contains a NUL character, which PostgreSQL clients cannot send";
        }

        return password.All(char.IsAscii) ? null : "the password contains characters outside ASCII; use ASCII characters only";
    }

    /// <summary>A verifier for <paramref name="password"/> with a fresh salt from the cryptographic RNG.</summary>
    public static ScramSha256Verifier Create(string password, int iterations = DefaultIterations) =>
        Create(password, RandomNumberGenerator.GetBytes(SaltLength), iterations);

    /// <summary>A verifier for <paramref name="password"/> with the given salt (tests and <see cref="Matches"/> reuse a stored salt).</summary>
    public static ScramSha256Verifier Create(string password, ReadOnlySpan<byte> salt, int iterations)
    {
        if (PasswordProblem(password) is { } problem)
        {
            throw new ArgumentException(problem, nameof(password));
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, 1);
        if (salt.IsEmpty)
        {
            throw new ArgumentException("the salt is empty", nameof(salt));
        }

        // SaltedPassword := Hi(password, salt, i), which is PBKDF2 with HMAC-SHA-256 and one 32-byte block.
        var passwordBytes = Encoding.UTF8.GetBytes(password);
        var salted = Rfc2898DeriveBytes.Pbkdf2(passwordBytes, salt, iterations, HashAlgorithmName.SHA256, SHA256.HashSizeInBytes);
        try
        {
            var clientKey = HMACSHA256.HashData(salted, "Client Key"u8);
            var storedKey = SHA256.HashData(clientKey);
            var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
            CryptographicOperations.ZeroMemory(clientKey);
            return new ScramSha256Verifier(iterations, salt.ToArray(), storedKey, serverKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(salted);
            CryptographicOperations.ZeroMemory(passwordBytes);
        }
    }

    /// <summary>Parses a stored <c>rolpassword</c>; null for anything else (NULL, md5, plain text, malformed).</summary>
    public static ScramSha256Verifier? TryParse(string? stored)
    {
        if (stored is null || !stored.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var parts = stored[Prefix.Length..].Split('$');
        if (parts.Length != 2)
        {
            return null;
        }

        var head = parts[0].Split(':');
        var keys = parts[1].Split(':');
        if (head.Length != 2 || keys.Length != 2
            || !int.TryParse(head[0], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations < 1)
        {
            return null;
        }

        try
        {
            var salt = Convert.FromBase64String(head[1]);
            var storedKey = Convert.FromBase64String(keys[0]);
            var serverKey = Convert.FromBase64String(keys[1]);
            return salt.Length > 0 && storedKey.Length == SHA256.HashSizeInBytes && serverKey.Length == SHA256.HashSizeInBytes
                ? new ScramSha256Verifier(iterations, salt, storedKey, serverKey)
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    /// <summary>
    /// True when <paramref name="stored"/> (<c>pg_authid.rolpassword</c>) is a SCRAM-SHA-256 verifier of
    /// <paramref name="password"/>, i.e. the password is already applied; false for any other stored value.
    /// Recomputes with the stored salt and iterations and compares in constant time. Throws
    /// <see cref="ArgumentException"/> for a password <see cref="PasswordProblem"/> refuses.
    /// </summary>
    public static bool Matches(string? stored, string password)
    {
        if (TryParse(stored) is not { } verifier)
        {
            return false;
        }

        var candidate = Create(password, verifier.Salt.ToArray(), verifier.Iterations);
        return CryptographicOperations.FixedTimeEquals(candidate.StoredKey, verifier.StoredKey)
            && CryptographicOperations.FixedTimeEquals(candidate.ServerKey, verifier.ServerKey);
    }

    /// <summary>The verifier in PostgreSQL's text form, as <c>ALTER ROLE … PASSWORD</c> takes it and <c>rolpassword</c> holds it.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture,
            $"{Prefix}{Iterations}:{Convert.ToBase64String(Salt.ToArray())}${Convert.ToBase64String(StoredKey)}:{Convert.ToBase64String(ServerKey)}");
}
