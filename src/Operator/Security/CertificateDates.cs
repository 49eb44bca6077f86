using System.Globalization;
using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Operator.Security;

/// <summary>A certificate's validity as UTC instants, and the sentence that says it is not valid now.</summary>
public static class CertificateDates
{
    /// <summary>Start of validity (X509Certificate2 reports local time; this is the same instant in UTC).</summary>
    public static DateTimeOffset NotBefore(X509Certificate2 certificate) => new(certificate.NotBefore.ToUniversalTime());

    /// <summary>End of validity, in UTC.</summary>
    public static DateTimeOffset NotAfter(X509Certificate2 certificate) => new(certificate.NotAfter.ToUniversalTime());

    /// <summary>Why the certificate in <paramref name="field"/> is not valid at <paramref name="now"/>, or null when it is.</summary>
    public static string? Problem(X509Certificate2 certificate, DateTimeOffset now, string field)
    {
        if (now >= NotAfter(certificate))
        {
            return $"the certificate in {field} expired at {Format(NotAfter(certificate))}";
        }

        return now < NotBefore(certificate) ? $"the certificate in {field} is not valid before {Format(NotBefore(certificate))}" : null;
    }

    /// <summary>An instant as Kubernetes prints timestamps (RFC 3339, UTC, seconds).</summary>
    public static string Format(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
