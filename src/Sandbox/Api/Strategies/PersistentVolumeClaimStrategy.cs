using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>PersistentVolumeClaims: the storage request is required and above zero, as kube-apiserver checks it.</summary>
internal sealed class PersistentVolumeClaimStrategy(ApiResource resource) : ResourceStrategy(resource)
{
    /// <inheritdoc />
    public override IReadOnlyList<FieldError> Validate(JsonObject obj, WriteContext context) =>
        [.. base.Validate(obj, context), .. ResourceRequirementsValidation.OfClaim(obj, "PersistentVolumeClaim")];
}
