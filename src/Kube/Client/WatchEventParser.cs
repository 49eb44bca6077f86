using System.Text.Json;
using PgReplica.Kube.Models;

namespace PgReplica.Kube.Client;

/// <summary>Decodes one watch line <c>{"type":…,"object":…}</c>.</summary>
internal static class WatchEventParser
{
    public static WatchEvent<T> Parse<T>(string line, JsonSerializerOptions json)
        where T : IKubernetesObject
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var typeText = root.TryGetProperty("type", out var t) ? t.GetString() : null;
        var type = typeText switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            _ => throw new InvalidDataException($"unknown watch event type '{typeText}'"),
        };
        if (!root.TryGetProperty("object", out var obj))
        {
            throw new InvalidDataException("watch event without an object");
        }

        return type == WatchEventType.Error
            ? new WatchEvent<T> { Type = type, Error = obj.Deserialize<Status>(json) }
            : new WatchEvent<T> { Type = type, Object = obj.Deserialize<T>(json) };
    }
}
