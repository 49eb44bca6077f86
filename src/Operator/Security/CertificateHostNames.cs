using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Operator.Security;

/// <summary>Which host names a server certificate answers to, by the rules libpq applies for <c>sslmode=verify-full</c>.</summary>
public static class CertificateHostNames
{
    /// <summary>
    /// The certificate's DNS subject alternative names; only when it has none, its common name
    /// (libpq ignores the CN of a certificate that has DNS SANs).
    /// </summary>
    public static IReadOnlyList<string> Of(X509Certificate2 certificate)
    {
        var sans = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
            .SelectMany(e => e.EnumerateDnsNames())
            .ToList();
        if (sans.Count > 0)
        {
            return sans;
        }

        var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
        return string.IsNullOrEmpty(commonName) ? [] : [commonName];
    }

    /// <summary>
    /// True when <paramref name="pattern"/> (a name in a certificate) matches <paramref name="host"/>: equal ignoring
    /// ASCII case, or <c>*.rest</c> where the <c>*</c> stands for exactly one non-empty label, as libpq matches them.
    /// </summary>
    public static bool Matches(string pattern, string host)
    {
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var suffix = pattern[1..]; // ".rest"
            return host.Length > suffix.Length
                && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && !host[..^suffix.Length].Contains('.');
        }

        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The wanted names no name of the certificate matches, in the order given.</summary>
    public static IReadOnlyList<string> Uncovered(X509Certificate2 certificate, IEnumerable<string> wanted)
    {
        var names = Of(certificate);
        return wanted.Where(host => !names.Any(pattern => Matches(pattern, host))).ToList();
    }

    /// <summary>Names for a message: all of them when few, else the first few and how many more.</summary>
    public static string Describe(IReadOnlyList<string> names, int shown = 6) =>
        names.Count <= shown
            ? string.Join(", ", names)
            : $"{string.Join(", ", names.Take(shown))} and {names.Count - shown} more";
}
