using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api.PodSecurity;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api.Admission;

/// <summary>
/// The PodSecurity admission plugin: pods are judged against their namespace's pod-security.kubernetes.io labels
/// (enforce refuses with 403, warn answers with warnings, audit goes to the audit log); namespace labels must parse,
/// and a namespace that starts enforcing a stricter standard names its running pods that would now be refused.
/// </summary>
internal sealed class PodSecurityAdmission(IObjectStore store, AuditLog? audit) : IValidatingAdmission
{
    /// <inheritdoc />
    public void Validate(AdmissionRequest request)
    {
        if (request.Resource.Type == ResourceType.Pods)
        {
            Pod(request);
        }
        else if (request.Resource.Type == ResourceType.Namespaces)
        {
            Namespace(request);
        }
    }

    private void Pod(AdmissionRequest request)
    {
        var ns = store.Get(ResourceType.Namespaces, null, request.Namespace ?? "default");
        var (policy, errors) = NamespacePolicy.FromLabels(ns?["metadata"]?["labels"] as JsonObject);
        var pod = new PodView(request.Object);
        if ((errors.Count == 0 && policy.FullyPrivileged) || (request.Old is { } old && !PodUpdates.IsSignificant(pod, new PodView(old))))
        {
            return;
        }

        var results = new Dictionary<LevelVersion, PodSecurityResult>();
        PodSecurityResult Evaluate(LevelVersion level) =>
            results.TryGetValue(level, out var known) ? known : results[level] = PodSecurityEvaluator.Evaluate(level, pod);
        string Standard(LevelVersion level) => $"PodSecurity {FieldError.Quote(level.ToString())}: {Evaluate(level).Details}";

        var enforced = Evaluate(policy.Enforce);
        if (audit is not null && !Evaluate(policy.Audit).Allowed)
        {
            audit.Record(request, new Dictionary<string, string>
            {
                [NamespacePolicy.Prefix + "enforce-policy"] = policy.Enforce.ToString(),
                [NamespacePolicy.Prefix + "audit-violations"] = "would violate " + Standard(policy.Audit),
            });
        }

        if (!enforced.Allowed)
        {
            throw ApiException.Forbidden(request.Resource, request.Name, "violates " + Standard(policy.Enforce));
        }

        if (!Evaluate(policy.Warn).Allowed)
        {
            request.Context.Warnings.Add("would violate " + Standard(policy.Warn));
        }
    }

    private void Namespace(AdmissionRequest request)
    {
        var (policy, errors) = NamespacePolicy.FromLabels(request.Object["metadata"]?["labels"] as JsonObject);
        if (request.Old is not { } old)
        {
            ApiException.ThrowIfInvalid(request.Resource, request.Name, errors);
            return;
        }

        // Labels that were already wrong the same way do not block other changes to the namespace.
        var (before, oldErrors) = NamespacePolicy.FromLabels(old["metadata"]?["labels"] as JsonObject);
        if (errors.Count > 0 && (oldErrors.Count == 0 || !errors.SequenceEqual(oldErrors)))
        {
            throw ApiException.Invalid(request.Resource, request.Name, errors);
        }

        // Running pods stay; those the new enforce level would refuse are named, unless it cannot refuse more than before.
        var (enforce, was) = (policy.Enforce, before.Enforce);
        if (enforce != was && enforce.Level != PodSecurityLevel.Privileged && (enforce.Version != was.Version || enforce.Level > was.Level))
        {
            request.Context.Warnings.AddRange(ExistingPods.Warnings(request.Name, enforce, store.List(ResourceType.Pods, request.Name)));
        }
    }
}
