using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>Namespaces: names are DNS labels; a new namespace is Active at once.</summary>
internal sealed class NamespaceStrategy(ApiResource resource) : ResourceStrategy(resource)
{
    /// <inheritdoc />
    protected override bool NameIsLabel => true;

    /// <inheritdoc />
    public override JsonNode? AfterCreate(JsonObject created) => new JsonObject { ["phase"] = "Active" };
}
