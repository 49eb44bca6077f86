using PgReplica.Kube.Client;

namespace PgReplica.Operator.Reconciliation;

/// <summary>
/// Which failures of a pass a person must fix (the API refused it: 403 Forbidden, 422 Invalid) and which pass on
/// their own (everything else: retried by the runtime with back-off).
/// </summary>
public static class ReconcileErrorPolicy
{
    /// <summary>True for a refusal: surface it (Event, condition) and retry slowly instead of hot.</summary>
    public static bool IsRefusal(Exception error) => error is KubernetesApiException { IsForbidden: true } or KubernetesApiException { IsInvalid: true };

    /// <summary>The reason and message a refusal is reported with.</summary>
    public static string Describe(Exception error) => error is KubernetesApiException e
        ? $"the API refused a request ({e.Code} {e.Reason}): {e.Status.Message}"
        : error.Message;
}
