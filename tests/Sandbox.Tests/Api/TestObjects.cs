using System.Text.Json.Nodes;

namespace PgReplica.Sandbox.Tests.Api;

/// <summary>Objects the tests create.</summary>
public static class TestObjects
{
    public const string Things = "/apis/example.com/v1/namespaces/default/things";

    public const string ConfigMaps = "/api/v1/namespaces/default/configmaps";

    public const string Secrets = "/api/v1/namespaces/default/secrets";

    public static JsonObject ThingsCrd() => (JsonObject)JsonNode.Parse("""
        {
          "apiVersion": "apiextensions.k8s.io/v1",
          "kind": "CustomResourceDefinition",
          "metadata": { "name": "things.example.com" },
          "spec": {
            "group": "example.com",
            "scope": "Namespaced",
            "names": { "plural": "things", "singular": "thing", "kind": "Thing", "shortNames": ["th"], "categories": ["all"] },
            "versions": [{
              "name": "v1", "served": true, "storage": true,
              "subresources": {
                "status": {},
                "scale": { "specReplicasPath": ".spec.replicas", "statusReplicasPath": ".status.replicas", "labelSelectorPath": ".status.selector" }
              },
              "additionalPrinterColumns": [
                { "name": "Replicas", "type": "integer", "jsonPath": ".spec.replicas" },
                { "name": "Phase", "type": "string", "jsonPath": ".status.phase" },
                { "name": "Ready", "type": "string", "jsonPath": ".status.conditions[?(@.type==\"Ready\")].status", "priority": 1 }
              ],
              "schema": { "openAPIV3Schema": {
                "type": "object",
                "properties": {
                  "spec": { "type": "object", "properties": {
                    "replicas": { "type": "integer", "minimum": 0, "default": 1 },
                    "color": { "type": "string" },
                    "labels": { "type": "object", "additionalProperties": { "type": "string" } },
                    "extra": { "type": "object", "x-kubernetes-preserve-unknown-fields": true }
                  } },
                  "status": { "type": "object", "properties": {
                    "replicas": { "type": "integer" },
                    "phase": { "type": "string" },
                    "selector": { "type": "string" },
                    "conditions": { "type": "array", "items": { "type": "object", "properties": {
                      "type": { "type": "string" }, "status": { "type": "string" } } } }
                  } }
                }
              } }
            }]
          }
        }
        """)!;

    public static JsonObject Thing(string name, int replicas = 2, string color = "red") => new()
    {
        ["apiVersion"] = "example.com/v1",
        ["kind"] = "Thing",
        ["metadata"] = new JsonObject { ["name"] = name },
        ["spec"] = new JsonObject { ["replicas"] = replicas, ["color"] = color },
    };

    public static JsonObject ConfigMap(string name, JsonObject? labels = null, JsonObject? extraMeta = null)
    {
        var meta = new JsonObject { ["name"] = name };
        if (labels is not null)
        {
            meta["labels"] = labels;
        }

        foreach (var (k, v) in extraMeta ?? [])
        {
            meta[k] = v?.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = meta,
            ["data"] = new JsonObject { ["k"] = "v" },
        };
    }

    public static JsonObject OwnerRef(JsonNode owner, bool block = false) => new()
    {
        ["apiVersion"] = owner["apiVersion"]!.GetValue<string>(),
        ["kind"] = owner["kind"]!.GetValue<string>(),
        ["name"] = owner["metadata"]!["name"]!.GetValue<string>(),
        ["uid"] = owner["metadata"]!["uid"]!.GetValue<string>(),
        ["controller"] = true,
        ["blockOwnerDeletion"] = block,
    };

    public static string Rv(JsonNode? obj) => obj!["metadata"]!["resourceVersion"]!.GetValue<string>();

    public static long Generation(JsonNode? obj) => obj!["metadata"]!["generation"]!.GetValue<long>();
}
