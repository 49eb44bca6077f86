using System.Text.Json.Nodes;
using PgReplica.Entities.Schema;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Entities.Tests;

/// <summary>The generated CRD has the names, subresources, columns and structural properties the issue asks for.</summary>
public class CrdShapeTests
{
    private static readonly JsonObject Crd = PostgresReplicaSetCrd.Json();
    private static readonly JsonObject Version = Crd["spec"]!["versions"]![0]!.AsObject();
    private static readonly JsonObject Schema = PostgresReplicaSetCrd.Schema();

    [Fact]
    public void NamesAndScope()
    {
        Assert.Equal("postgresreplicasets.pgreplica.io", Crd["metadata"]!["name"]!.GetValue<string>());
        Assert.Equal("pgreplica.io", Crd["spec"]!["group"]!.GetValue<string>());
        Assert.Equal("Namespaced", Crd["spec"]!["scope"]!.GetValue<string>());
        var names = Crd["spec"]!["names"]!;
        Assert.Equal("PostgresReplicaSet", names["kind"]!.GetValue<string>());
        Assert.Equal("PostgresReplicaSetList", names["listKind"]!.GetValue<string>());
        Assert.Equal("postgresreplicasets", names["plural"]!.GetValue<string>());
        Assert.Equal("postgresreplicaset", names["singular"]!.GetValue<string>());
        Assert.Equal(["pgrs"], names["shortNames"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal("v1alpha1", Version["name"]!.GetValue<string>());
        Assert.True(Version["served"]!.GetValue<bool>());
        Assert.True(Version["storage"]!.GetValue<bool>());
    }

    [Fact]
    public void StatusAndScaleSubresources()
    {
        var subresources = Version["subresources"]!;
        Assert.Equal("{}", subresources["status"]!.ToJsonString());
        Assert.Equal(".spec.replicas", subresources["scale"]!["specReplicasPath"]!.GetValue<string>());
        Assert.Equal(".status.replicas", subresources["scale"]!["statusReplicasPath"]!.GetValue<string>());
        Assert.Equal(".status.selector", subresources["scale"]!["labelSelectorPath"]!.GetValue<string>());
    }

    [Fact]
    public void ScalePathsPointAtIntegersAndAString()
    {
        Assert.Equal("integer", SchemaAt(".spec.replicas")["type"]!.GetValue<string>());
        Assert.Equal("integer", SchemaAt(".status.replicas")["type"]!.GetValue<string>());
        Assert.Equal("string", SchemaAt(".status.selector")["type"]!.GetValue<string>());
    }

    [Fact]
    public void PrinterColumnsInOrderWithPathsThatExist()
    {
        var columns = Version["additionalPrinterColumns"]!.AsArray();
        Assert.Equal(["Replicas", "Ready", "Primary", "Max Lag (bytes)", "Phase", "Age"],
            columns.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal([".spec.replicas", ".status.readyReplicas", ".status.primary.pod", ".status.maxReplayLagBytes", ".status.phase", ".metadata.creationTimestamp"],
            columns.Select(c => c!["jsonPath"]!.GetValue<string>()));
        Assert.Equal(["integer", "integer", "string", "integer", "string", "date"], columns.Select(c => c!["type"]!.GetValue<string>()));
        foreach (var column in columns.Take(5))
        {
            var path = column!["jsonPath"]!.GetValue<string>();
            var type = SchemaAt(path)["type"]!.GetValue<string>();
            Assert.Equal(column["type"]!.GetValue<string>(), type);
        }
    }

    [Fact]
    public void EveryFieldHasADescriptionForKubectlExplain()
    {
        var missing = new List<string>();
        Walk(Schema["properties"]!["spec"]!.AsObject(), "spec", (path, node) =>
        {
            if (node["description"] is null)
            {
                missing.Add(path);
            }
        });
        Walk(Schema["properties"]!["status"]!.AsObject(), "status", (path, node) =>
        {
            if (node["description"] is null)
            {
                missing.Add(path);
            }
        });
        Assert.Empty(missing);
    }

    [Fact]
    public void EveryNodeIsStructurallyTyped()
    {
        // A structural schema states a type everywhere, except int-or-string nodes (and root metadata).
        var untyped = new List<string>();
        Walk(Schema, "", (path, node) =>
        {
            if (node["type"] is null && node["x-kubernetes-int-or-string"] is null)
            {
                untyped.Add(path);
            }
        }, includeMapValues: true);
        Assert.Empty(untyped);
    }

    [Fact]
    public void EveryDefaultValidatesAgainstItsOwnSchema()
    {
        // The API server refuses a CRD whose defaults do not validate (after defaulting them in turn).
        var checkedDefaults = 0;
        Walk(Schema, "", (path, node) =>
        {
            if (node["default"] is { } value)
            {
                var copy = value.DeepClone();
                StructuralSchemaValidator.ApplyDefaults(node, copy);
                Assert.Empty(StructuralSchemaValidator.Validate(node, copy));
                Assert.Empty(StructuralSchemaValidator.UnknownFields(node, copy));
                checkedDefaults++;
            }
        }, includeMapValues: true);
        Assert.True(checkedDefaults >= 12, $"only {checkedDefaults} defaults found");
    }

    [Fact]
    public void CelRulesAreExactlyTheOnesWithCSharpTwins()
    {
        var rules = new List<string>();
        Walk(Schema, "", (path, node) =>
        {
            foreach (var rule in node["x-kubernetes-validations"]?.AsArray() ?? [])
            {
                rules.Add($"{path}: {rule!["rule"]!.GetValue<string>()}");
            }
        }, includeMapValues: true);

        // Each line below has a C# twin in PostgresReplicaSetRules, tested in PostgresReplicaSetRulesTests.
        // Adding a rule to the types without a twin makes this test fail.
        Assert.Equal(
            [
                ": self.metadata.name.size() <= 50 && self.metadata.name.matches('^[a-z]([-a-z0-9]*[a-z0-9])?$')",
                "spec.postgresUid: self == oldSelf",
                "spec.postgresql.parameters: self.all(k, !(k in " + OperatorOwnedParameters.CelList + "))",
                "spec.postgresql.parameters: self.all(k, k.matches('^[a-z_][a-z0-9_]*([.][a-z_][a-z0-9_]*)?$'))",
                "spec.storage: self == oldSelf",
                "spec: !has(self.replication) || !has(self.replication.synchronous) || self.replication.synchronous.number <= self.replicas",
            ],
            rules.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void CelRulesOverMapsAndListsAreBoundedForTheCostEstimator()
    {
        // The API server rejects rules whose estimated cost is unbounded; maps and lists they iterate need max sizes.
        Assert.NotNull(SchemaAt(".spec.postgresql.parameters")["maxProperties"]);
        Assert.NotNull(SchemaAt(".spec.postgresql.parameters")["additionalProperties"]!["maxLength"]);
    }

    /// <summary>The schema node at a printer-column style path such as <c>.status.primary.pod</c>.</summary>
    private static JsonObject SchemaAt(string jsonPath)
    {
        var node = Schema;
        foreach (var part in jsonPath.TrimStart('.').Split('.'))
        {
            node = node["properties"]?[part] as JsonObject ?? throw new KeyNotFoundException($"{jsonPath}: no {part}");
        }

        return node;
    }

    private static void Walk(JsonObject node, string path, Action<string, JsonObject> visit, bool includeMapValues = false)
    {
        visit(path, node);
        foreach (var (name, child) in node["properties"]?.AsObject() ?? [])
        {
            if (path.Length == 0 && name == "metadata")
            {
                continue;
            }

            Walk(child!.AsObject(), path.Length == 0 ? name : path + "." + name, visit, includeMapValues);
        }

        if (node["items"] is JsonObject items)
        {
            Walk(items, path + "[*]", visit, includeMapValues);
        }

        if (includeMapValues && node["additionalProperties"] is JsonObject values)
        {
            Walk(values, path + "[*]", visit, includeMapValues);
        }
    }
}
