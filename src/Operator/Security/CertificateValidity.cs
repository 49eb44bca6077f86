namespace PgReplica.Operator.Security;

/// <summary>How long the operator's certificates live and when they are renewed.</summary>
public static class CertificateValidity
{
    /// <summary>
    /// The per-cluster CA lives ten years: replacing it invalidates every copy of <c>ca.crt</c> users pinned in
    /// their clients, so it must not expire under a running cluster; its key never leaves the operator's Secret.
    /// </summary>
    public static readonly TimeSpan Authority = TimeSpan.FromDays(3650);

    /// <summary>
    /// Server and client certificates live 90 days (cert-manager's default duration): short enough that a leaked
    /// key (there is no revocation list) stops working soon, long enough that renewal is a rare, quiet event.
    /// </summary>
    public static readonly TimeSpan Leaf = TimeSpan.FromDays(90);

    /// <summary>
    /// NotBefore is set this far in the past so that a node whose clock runs a little behind the operator's
    /// still accepts a certificate issued a moment ago.
    /// </summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A certificate is renewed once less than this share of its own lifetime is left (cert-manager's default
    /// rule): for 90 days that leaves 30 days in which a stopped or failing operator can still renew before any
    /// client sees an expired certificate, and a short-lived test certificate is renewed by the same rule.
    /// </summary>
    public const double RenewWhenRemainingBelow = 1.0 / 3.0;
}
