using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PgReplica.Sandbox.Api;

namespace PgReplica.Sandbox;

/// <summary>Applies a multi-document YAML file to a running sandbox through its API semantics (defaults, validation).</summary>
public static partial class SandboxManifests
{
    /// <summary>Creates each object, or replaces the spec of one that exists; returns kubectl-like lines ("kind/name created").</summary>
    public static IReadOnlyList<string> Apply(SandboxHost host, string yaml, string defaultNamespace = "default")
    {
        var results = new List<string>();
        foreach (var document in DocumentSeparator().Split(yaml))
        {
            if (YamlJson.Parse(document) is not JsonObject obj)
            {
                continue;
            }

            var apiVersion = obj["apiVersion"]?.GetValue<string>() ?? "";
            var kind = obj["kind"]?.GetValue<string>() ?? "";
            var resource = host.Operations.Catalog.FindKind(apiVersion, kind)
                ?? throw new InvalidOperationException($"the sandbox serves no {kind} in {apiVersion}");
            var name = obj["metadata"]?["name"]?.GetValue<string>() ?? throw new InvalidOperationException($"a {kind} without metadata.name");
            var ns = resource.Namespaced ? obj["metadata"]?["namespace"]?.GetValue<string>() ?? defaultNamespace : null;
            var label = $"{resource.Singular}.{resource.Group}".TrimEnd('.') + "/" + name;
            if (host.Store.Get(resource.Type, ns, name) is { } existing)
            {
                var replacement = (JsonObject)existing.DeepClone();
                replacement["spec"] = obj["spec"]?.DeepClone();
                host.Operations.Update(resource, ns, name, replacement);
                results.Add(label + " configured");
            }
            else
            {
                host.Operations.Create(resource, ns, obj);
                results.Add(label + " created");
            }
        }

        return results;
    }

    [GeneratedRegex(@"^---\s*$", RegexOptions.Multiline)]
    private static partial Regex DocumentSeparator();
}
