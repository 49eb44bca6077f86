using System.Text;

namespace PgReplica.Operator.Security;

/// <summary>
/// The SQL that sets a role's password from a SCRAM verifier. <c>ALTER ROLE</c> takes no bind parameters, so the
/// text is built here, once: the role is quoted as an identifier and the literal is a verifier, never a password.
/// </summary>
public static class RolePasswordStatement
{
    /// <summary>Reads what <see cref="ScramSha256Verifier.Matches"/> compares against (needs superuser; bind the role as $1).</summary>
    public const string ReadStoredVerifier = "SELECT rolpassword FROM pg_authid WHERE rolname = $1";

    private const int MaxIdentifierBytes = 63; // NAMEDATALEN - 1

    /// <summary><c>ALTER ROLE "role" PASSWORD 'SCRAM-SHA-256$…'</c>.</summary>
    public static string Alter(string role, ScramSha256Verifier verifier)
    {
        var literal = verifier.ToString();
        // Base64, digits, '$' and ':' only (checked, not assumed): nothing in it can end the literal.
        if (!literal.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '/' or '=' or '$' or ':' or '-'))
        {
            throw new InvalidOperationException("a SCRAM verifier with unexpected characters");
        }

        return $"ALTER ROLE {QuoteIdentifier(role)} PASSWORD '{literal}'";
    }

    /// <summary>A role name as a PostgreSQL quoted identifier; throws for names PostgreSQL cannot hold.</summary>
    public static string QuoteIdentifier(string role)
    {
        if (string.IsNullOrEmpty(role) || role.Contains('\0') || Encoding.UTF8.GetByteCount(role) > MaxIdentifierBytes)
        {
            throw new ArgumentException($"invalid role name \"{role}\": 1 to {MaxIdentifierBytes} bytes, no NUL", nameof(role));
        }

        return "\"" + role.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
