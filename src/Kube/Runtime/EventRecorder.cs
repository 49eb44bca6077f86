using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using PgReplica.Kube.Client;
using k8s;
using k8s.Models;

namespace PgReplica.Kube.Runtime;

/// <summary>
/// Writes core/v1 Events about objects. A repeat of the same (object, type, reason, message) bumps the
/// existing Event's count and lastTimestamp instead of creating another (client-go's correlator, simplified).
/// </summary>
public sealed class EventRecorder(IKubernetesClient client, string component, string? instance = null, TimeProvider? time = null)
{
    /// <summary>Event type for ordinary transitions.</summary>
    public const string Normal = "Normal";

    /// <summary>Event type for problems.</summary>
    public const string Warning = "Warning";

    private readonly TimeProvider clock = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (string Namespace, string Name, int Count)> seen = new();

    /// <summary>Records an event about <paramref name="involved"/>; returns the Event as written.</summary>
    public async Task<Corev1Event> RecordAsync(IKubernetesObject<V1ObjectMeta> involved, string type, string reason, string message, CancellationToken ct = default)
    {
        var now = clock.GetUtcNow();
        var ns = involved.Metadata.NamespaceProperty ?? "default";
        var key = string.Join('\u0001', involved.Kind, ns, involved.Metadata.Name, involved.Metadata.Uid, type, reason, message);
        if (seen.TryGetValue(key, out var previous))
        {
            var count = previous.Count + 1;
            try
            {
                var patched = await client.PatchAsync<Corev1Event>(previous.Name, previous.Namespace, KubernetesPatch.Merge(new JsonObject
                {
                    ["count"] = count,
                    ["lastTimestamp"] = now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                }), ct);
                seen[key] = (previous.Namespace, previous.Name, count);
                return patched;
            }
            catch (KubernetesApiException e) when (e.IsNotFound)
            {
                // The Event expired (TTL) meanwhile: start a new one.
                seen.TryRemove(key, out _);
            }
        }

        var ev = new Corev1Event
        {
            Metadata = new V1ObjectMeta
            {
                // client-go names events <object>.<unique hex>.
                Name = $"{involved.Metadata.Name}.{now.UtcTicks.ToString("x", CultureInfo.InvariantCulture)}{Random.Shared.Next(0x1000):x3}",
                NamespaceProperty = ns,
            },
            InvolvedObject = new V1ObjectReference
            {
                ApiVersion = involved.ApiVersion,
                Kind = involved.Kind,
                Name = involved.Metadata.Name,
                NamespaceProperty = involved.Metadata.NamespaceProperty,
                Uid = involved.Metadata.Uid,
                ResourceVersion = involved.Metadata.ResourceVersion,
            },
            Type = type,
            Reason = reason,
            Message = message,
            Count = 1,
            FirstTimestamp = now.UtcDateTime,
            LastTimestamp = now.UtcDateTime,
            Source = new V1EventSource { Component = component, Host = instance },
            ReportingComponent = component,
            ReportingInstance = instance,
        };
        var created = await client.CreateAsync(ev, ct);
        seen[key] = (ns, created.Metadata.Name!, 1);
        return created;
    }
}
