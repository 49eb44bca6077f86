namespace PgReplica.Operator.Tests.Manifests.Rbac;

/// <summary>One RBAC permission: a verb on a resource (or <c>resource/subresource</c>) of an API group.</summary>
internal sealed record RbacPermission(string Group, string Resource, string Verb)
{
    /// <inheritdoc />
    public override string ToString() => $"{(Group.Length == 0 ? "core" : Group)} {Resource} {Verb}";
}
