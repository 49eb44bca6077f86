using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Api;

/// <summary>Reads a CustomResourceDefinition object into the resources it serves, one per served version.</summary>
internal static class CrdResources
{
    /// <summary>The served versions of the CRD as resources.</summary>
    public static IReadOnlyList<ApiResource> From(JsonObject crd)
    {
        var spec = crd["spec"] as JsonObject ?? throw ApiException.BadRequest("spec: Required value");
        var names = spec["names"] as JsonObject ?? throw ApiException.BadRequest("spec.names: Required value");
        var group = Str(spec["group"]) ?? throw ApiException.BadRequest("spec.group: Required value");
        var plural = Str(names["plural"]) ?? throw ApiException.BadRequest("spec.names.plural: Required value");
        var kind = Str(names["kind"]) ?? throw ApiException.BadRequest("spec.names.kind: Required value");
        var singular = Str(names["singular"]) ?? kind.ToLowerInvariant();
        var namespaced = Str(spec["scope"]) != "Cluster";
        var shortNames = Strings(names["shortNames"]);
        var categories = Strings(names["categories"]);
        var result = new List<ApiResource>();
        foreach (var v in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (v["served"] is JsonValue served && served.TryGetValue<bool>(out var s) && !s)
            {
                continue;
            }

            var sub = v["subresources"] as JsonObject;
            ScaleSubresource? scale = null;
            if (sub?["scale"] is JsonObject sc)
            {
                scale = new ScaleSubresource(
                    Str(sc["specReplicasPath"]) ?? ".spec.replicas",
                    Str(sc["statusReplicasPath"]) ?? ".status.replicas",
                    Str(sc["labelSelectorPath"]));
            }

            var columns = (v["additionalPrinterColumns"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(c => new PrinterColumn(
                    Str(c["name"]) ?? "",
                    Str(c["type"]) ?? "string",
                    Str(c["jsonPath"]) ?? "",
                    (int)(PgReplica.Sandbox.Store.JsonNumber.Long(c["priority"]) ?? 0),
                    Str(c["format"]),
                    Str(c["description"])))
                .ToList();
            result.Add(new ApiResource(
                group, Str(v["name"]) ?? "v1", plural, singular, kind, namespaced, shortNames, categories,
                HasStatus: sub?["status"] is not null,
                Scale: scale,
                PrinterColumns: columns,
                Schema: v["schema"]?["openAPIV3Schema"]?.DeepClone(),
                IsCustom: true));
        }

        return result;
    }

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static List<string> Strings(JsonNode? n) =>
        (n as JsonArray ?? []).Select(Str).Where(s => s is not null).Select(s => s!).ToList();
}
