using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>One resource the API server serves at one group/version: names, scope, subresources, printing and schema.</summary>
public sealed record ApiResource(
    string Group,
    string Version,
    string Plural,
    string Singular,
    string Kind,
    bool Namespaced,
    IReadOnlyList<string> ShortNames,
    IReadOnlyList<string> Categories,
    bool HasStatus,
    ScaleSubresource? Scale = null,
    IReadOnlyList<PrinterColumn>? PrinterColumns = null,
    JsonNode? Schema = null,
    bool IsCustom = false,
    IReadOnlyList<string>? ConnectSubresources = null)
{
    /// <summary>The store key of this resource.</summary>
    public ResourceType Type => new(Group, Plural);

    /// <summary>apiVersion of its objects ("v1" or "group/version").</summary>
    public string ApiVersion => Group.Length == 0 ? Version : $"{Group}/{Version}";

    /// <summary>Kind of its list.</summary>
    public string ListKind => Kind + "List";

    /// <summary>"Kind.group" as Invalid errors name it.</summary>
    public string QualifiedKind => Group.Length == 0 ? Kind : $"{Kind}.{Group}";
}

/// <summary>Where a resource keeps its replica counts, as a CRD's scale subresource declares.</summary>
public sealed record ScaleSubresource(string SpecReplicasPath, string StatusReplicasPath, string? LabelSelectorPath);

/// <summary>One CRD additionalPrinterColumn.</summary>
public sealed record PrinterColumn(string Name, string Type, string JsonPath, int Priority, string? Format, string? Description);
