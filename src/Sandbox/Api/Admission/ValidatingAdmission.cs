using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api.Strategies;

namespace PgReplica.Sandbox.Api.Admission;

/// <summary>A create or an update.</summary>
internal enum AdmissionOperation
{
    /// <summary>POST, or an apply that creates.</summary>
    Create,

    /// <summary>PUT or PATCH of the object itself (not of a subresource).</summary>
    Update,
}

/// <summary>
/// One write as validating admission sees it, after the kind's strategy prepared and validated it (kube-apiserver's
/// admission.Attributes): <see cref="Old"/> is the stored object on update; warnings go to the context.
/// </summary>
internal sealed record AdmissionRequest(
    AdmissionOperation Operation,
    ApiResource Resource,
    string? Namespace,
    string Name,
    JsonObject Object,
    JsonObject? Old,
    WriteContext Context);

/// <summary>A validating admission plugin: refuses a write by throwing an <see cref="ApiException"/>, or lets it pass, maybe with warnings.</summary>
internal interface IValidatingAdmission
{
    /// <summary>Judges one write.</summary>
    void Validate(AdmissionRequest request);
}
