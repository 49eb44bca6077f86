using System.Security.Cryptography.X509Certificates;

namespace PgReplica.Operator.Security;

/// <summary>Why a certificate the operator issued must be issued again, or <see cref="Current"/> when it need not.</summary>
public enum RenewalReason
{
    /// <summary>Valid, from this CA, with the wanted identity, and more than a third of its lifetime left.</summary>
    Current,

    /// <summary>No certificate yet.</summary>
    Missing,

    /// <summary>The stored certificate or key cannot be read, or the key is not the certificate's.</summary>
    Unreadable,

    /// <summary>Signed by another CA (a recreated <c>&lt;name&gt;-ca</c>, or a user's CA replacing ours).</summary>
    IssuedByAnotherAuthority,

    /// <summary>The names (or the client's role) no longer match what is wanted, e.g. after a scale-up.</summary>
    IdentityChanged,

    /// <summary>Less than a third of the lifetime left, or already expired.</summary>
    Expiring,

    /// <summary>Not valid yet: issued against a clock ahead of ours.</summary>
    NotYetValid,
}

/// <summary>A renewal decision with the sentence for the Event that announces it.</summary>
/// <param name="Reason">Why (or <see cref="RenewalReason.Current"/>).</param>
/// <param name="Message">What was found, for an Event or log line; never contains key material.</param>
public sealed record RenewalDecision(RenewalReason Reason, string Message)
{
    /// <summary>True when a new certificate must be issued.</summary>
    public bool Renew => Reason != RenewalReason.Current;
}

/// <summary>Decides, without I/O, whether the operator must issue a certificate again.</summary>
public static class CertificateRenewal
{
    /// <summary>
    /// For the server certificate: renew unless it is readable with its key, signed by <paramref name="authority"/>,
    /// names every one of <paramref name="wantedNames"/> (extra names, left after a scale-down, are harmless), and
    /// has more than <see cref="CertificateValidity.RenewWhenRemainingBelow"/> of its lifetime left at <paramref name="now"/>.
    /// </summary>
    public static RenewalDecision ForServer(string? certificatePem, string? privateKeyPem, X509Certificate2 authority, IReadOnlyCollection<string> wantedNames, DateTimeOffset now) =>
        Decide(certificatePem, privateKeyPem, authority, now, certificate =>
        {
            var uncovered = CertificateHostNames.Uncovered(certificate, wantedNames);
            return uncovered.Count == 0 ? null : $"the certificate does not name {CertificateHostNames.Describe(uncovered)}";
        });

    /// <summary>For a client certificate: as <see cref="ForServer"/>, with the role in the common name instead of the names.</summary>
    public static RenewalDecision ForClient(string? certificatePem, string? privateKeyPem, X509Certificate2 authority, string role, DateTimeOffset now) =>
        Decide(certificatePem, privateKeyPem, authority, now, certificate =>
        {
            var commonName = certificate.GetNameInfo(X509NameType.SimpleName, forIssuer: false);
            return commonName == role ? null : $"the certificate is for \"{commonName}\", not \"{role}\"";
        });

    private static RenewalDecision Decide(string? certificatePem, string? privateKeyPem, X509Certificate2 authority, DateTimeOffset now, Func<X509Certificate2, string?> identityProblem)
    {
        if (string.IsNullOrWhiteSpace(certificatePem))
        {
            return new(RenewalReason.Missing, "no certificate yet");
        }

        var problems = new List<string>();
        using var certificate = PemCertificates.ReadFirst(certificatePem, TlsSecretData.Certificate, problems);
        using var withKey = certificate is null ? null : PemCertificates.WithPrivateKey(certificate, privateKeyPem, TlsSecretData.PrivateKey, TlsSecretData.Certificate, problems);
        if (certificate is null || withKey is null)
        {
            return new(RenewalReason.Unreadable, string.Join("; ", problems));
        }

        if (!CertificateChains.IsIssuedBy(certificate, authority))
        {
            return new(RenewalReason.IssuedByAnotherAuthority, "the certificate was not issued by the cluster's current CA");
        }

        if (identityProblem(certificate) is { } changed)
        {
            return new(RenewalReason.IdentityChanged, changed);
        }

        var notBefore = CertificateDates.NotBefore(certificate);
        var notAfter = CertificateDates.NotAfter(certificate);
        if (now < notBefore)
        {
            return new(RenewalReason.NotYetValid, $"the certificate is not valid before {CertificateDates.Format(notBefore)}");
        }

        var renewAt = RenewAt(certificate);
        return now >= renewAt
            ? new(RenewalReason.Expiring, $"the certificate expires at {CertificateDates.Format(notAfter)} (renewal due since {CertificateDates.Format(renewAt)})")
            : new(RenewalReason.Current, $"the certificate is current until {CertificateDates.Format(renewAt)}");
    }

    /// <summary>When <paramref name="certificatePem"/>'s certificate falls due for renewal by the lifetime rule alone (for requeueing).</summary>
    public static DateTimeOffset? DueAt(string? certificatePem)
    {
        using var certificate = PemCertificates.ReadFirst(certificatePem, TlsSecretData.Certificate, []);
        return certificate is null ? null : RenewAt(certificate);
    }

    private static DateTimeOffset RenewAt(X509Certificate2 certificate)
    {
        var notBefore = CertificateDates.NotBefore(certificate);
        var notAfter = CertificateDates.NotAfter(certificate);
        return notAfter - ((notAfter - notBefore) * CertificateValidity.RenewWhenRemainingBelow);
    }
}
