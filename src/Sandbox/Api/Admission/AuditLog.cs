using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api.Admission;

/// <summary>
/// Appends audit.k8s.io/v1 Events (level Metadata) to a file, one JSON object a line, as kube-apiserver's
/// --audit-log-path does; the sandbox records only the writes an admission plugin annotated.
/// </summary>
internal sealed class AuditLog(string path)
{
    private readonly object _gate = new();

    /// <summary>Records one write with its audit annotations.</summary>
    public void Record(AdmissionRequest request, IReadOnlyDictionary<string, string> annotations)
    {
        var now = InMemoryObjectStore.Timestamp(DateTimeOffset.UtcNow);
        var r = request.Resource;
        var line = new JsonObject
        {
            ["kind"] = "Event",
            ["apiVersion"] = "audit.k8s.io/v1",
            ["level"] = "Metadata",
            ["auditID"] = Guid.NewGuid().ToString(),
            ["stage"] = "ResponseComplete",
            ["verb"] = request.Operation == AdmissionOperation.Create ? "create" : "update",
            ["objectRef"] = new JsonObject
            {
                ["resource"] = r.Plural,
                ["namespace"] = request.Namespace,
                ["name"] = request.Name,
                ["apiGroup"] = r.Group.Length == 0 ? null : r.Group,
                ["apiVersion"] = r.Version,
            },
            ["requestReceivedTimestamp"] = now,
            ["stageTimestamp"] = now,
            ["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))),
        }.ToJsonString();
        lock (_gate)
        {
            File.AppendAllText(path, line + "\n");
        }
    }
}
