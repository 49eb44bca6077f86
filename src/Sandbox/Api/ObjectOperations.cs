using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// The API server's write rules on top of the store: server-set fields, status subresource, secrets' stringData,
/// custom resource validation, finalizers and deletionTimestamp, propagation policies.
/// </summary>
public sealed class ObjectOperations(InMemoryObjectStore store, ResourceCatalog catalog)
{
    /// <summary>Finalizer a Foreground delete puts on the owner until its blocking dependents are gone.</summary>
    public const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>Finalizer an Orphan delete puts on the owner until its dependents have lost their ownerReferences.</summary>
    public const string OrphanFinalizer = "orphan";

    /// <summary>The store underneath.</summary>
    public InMemoryObjectStore Store => store;

    /// <summary>The served resources.</summary>
    public ResourceCatalog Catalog => catalog;

    /// <summary>The object, or 404.</summary>
    public JsonObject Get(ApiResource r, string? ns, string name)
    {
        var obj = store.Get(r.Type, ns, name) ?? throw ApiException.NotFound(r, name);
        return Present(r, obj);
    }

    /// <summary>Sets apiVersion and kind as this resource's version presents them.</summary>
    public static JsonObject Present(ApiResource r, JsonObject obj)
    {
        var result = new JsonObject { ["apiVersion"] = r.ApiVersion, ["kind"] = r.Kind };
        foreach (var (k, v) in obj)
        {
            if (k is not ("apiVersion" or "kind"))
            {
                result[k] = v?.DeepClone();
            }
        }

        return result;
    }

    /// <summary>Creates the object (POST). Returns what was stored.</summary>
    public JsonObject Create(ApiResource r, string? ns, JsonObject body, string? fieldValidation = null, bool dryRun = false, List<string>? warnings = null)
    {
        var obj = Present(r, body);
        var meta = Meta(obj);
        if (string.IsNullOrEmpty(meta["name"]?.GetValue<string>()) && meta["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            meta["name"] = prefix + RandomSuffix();
        }

        var name = meta["name"]?.GetValue<string>();
        if (string.IsNullOrEmpty(name))
        {
            throw new ApiException(422, "Invalid", $"{r.QualifiedKind} \"\" is invalid: metadata.name: Required value: name or generateName is required",
                StatusObjects.Details(r, "", kindIsKind: true));
        }

        CheckName(r, name);
        ns = CheckNamespace(r, ns, meta);
        foreach (var field in new[] { "uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "generation", "managedFields" })
        {
            meta.Remove(field);
        }

        if (r.HasStatus)
        {
            obj.Remove("status");
        }

        Normalize(r, obj, null);
        var found = CustomResourceValidation.Prepare(r, obj, fieldValidation);
        warnings?.AddRange(found);
        if (r.Type == ResourceType.CustomResourceDefinitions)
        {
            CheckCrd(obj);
        }

        if (dryRun)
        {
            return obj;
        }

        var created = Translate(r, name, () => store.Create(r.Type, ns, obj));
        if (r.Type == ResourceType.CustomResourceDefinitions)
        {
            created["status"] = CrdStatus(created);
            created = store.ReplaceStatus(r.Type, null, created);
        }
        else if (r.Type == ResourceType.Namespaces)
        {
            created["status"] = new JsonObject { ["phase"] = "Active" };
            created = store.ReplaceStatus(r.Type, null, created);
        }

        return Present(r, created);
    }

    /// <summary>Replaces the object (PUT), or only its status when <paramref name="statusOnly"/>.</summary>
    public JsonObject Update(ApiResource r, string? ns, string name, JsonObject body, string? fieldValidation = null, bool statusOnly = false,
        bool dryRun = false, List<string>? warnings = null)
    {
        var current = store.Get(r.Type, ns, name) ?? throw ApiException.NotFound(r, name);
        var obj = Present(r, body);
        var meta = Meta(obj);
        var bodyName = meta["name"]?.GetValue<string>();
        if (bodyName is not null && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }

        meta["name"] = name;
        var rv = meta["resourceVersion"]?.GetValue<string>();
        if (string.IsNullOrEmpty(rv) && r.IsCustom)
        {
            throw ApiException.Invalid(r, name, [("metadata.resourceVersion", "Invalid value: 0x0: must be specified for an update")]);
        }

        JsonObject result;
        if (statusOnly)
        {
            var merged = (JsonObject)current.DeepClone();
            merged["status"] = obj["status"]?.DeepClone();
            Meta(merged)["resourceVersion"] = rv;
            warnings?.AddRange(CustomResourceValidation.Prepare(r, merged, fieldValidation));
            if (dryRun)
            {
                return Present(r, merged);
            }

            result = Translate(r, name, () => store.ReplaceStatus(r.Type, ns, merged));
        }
        else
        {
            if (r.HasStatus)
            {
                obj["status"] = current["status"]?.DeepClone();
            }

            var currentMeta = Meta(current);
            // Deletion fields are the server's: a client can neither set nor clear them.
            meta["deletionTimestamp"] = currentMeta["deletionTimestamp"]?.DeepClone();
            meta["deletionGracePeriodSeconds"] = currentMeta["deletionGracePeriodSeconds"]?.DeepClone();
            if (meta["deletionGracePeriodSeconds"] is null)
            {
                meta.Remove("deletionGracePeriodSeconds");
            }

            if (meta["deletionTimestamp"] is null)
            {
                meta.Remove("deletionTimestamp");
            }
            else
            {
                var before = Finalizers(current);
                var added = Finalizers(obj).Where(f => !before.Contains(f)).ToList();
                if (added.Count > 0)
                {
                    throw new ApiException(422, "Forbidden",
                        $"{r.QualifiedKind} \"{name}\" is forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [{string.Join(" ", added)}]",
                        StatusObjects.Details(r, name));
                }
            }

            Normalize(r, obj, current);
            warnings?.AddRange(CustomResourceValidation.Prepare(r, obj, fieldValidation));
            if (dryRun)
            {
                return obj;
            }

            result = Translate(r, name, () => store.Replace(r.Type, ns, obj));
        }

        return Present(r, FinishIfReleased(r, ns, result));
    }

    /// <summary>Applies a patch of the given content type to the object or its status/whole (PATCH); retries on a concurrent change.</summary>
    public JsonObject Patch(ApiResource r, string? ns, string name, string contentType, string body, bool statusOnly = false,
        string? fieldValidation = null, bool dryRun = false, List<string>? warnings = null)
    {
        var kind = contentType.Split(';')[0].Trim().ToLowerInvariant();
        if (kind is not ("application/merge-patch+json" or "application/apply-patch+yaml" or "application/json-patch+json")
            && !(kind == "application/strategic-merge-patch+json" && !r.IsCustom))
        {
            throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml{(r.IsCustom ? "" : ", application/strategic-merge-patch+json")}");
        }

        JsonNode? patch;
        try
        {
            patch = kind == "application/apply-patch+yaml" ? YamlJson.Parse(body) : JsonNode.Parse(body);
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or YamlDotNet.Core.YamlException)
        {
            throw ApiException.BadRequest($"error decoding patch: {e.Message}");
        }

        for (var attempt = 0; ; attempt++)
        {
            var current = store.Get(r.Type, ns, name);
            if (current is null)
            {
                if (kind == "application/apply-patch+yaml" && patch is JsonObject applied && !statusOnly)
                {
                    return Create(r, ns, applied, fieldValidation, dryRun, warnings);
                }

                throw ApiException.NotFound(r, name);
            }

            var currentRv = Meta(current)["resourceVersion"]?.GetValue<string>();
            JsonNode? patched = kind switch
            {
                "application/merge-patch+json" or "application/apply-patch+yaml" => MergePatch.Apply(current, patch),
                "application/json-patch+json" => patch is JsonArray ops ? JsonPatch.Apply(current, ops) : throw ApiException.BadRequest("a JSON patch must be an array"),
                "application/strategic-merge-patch+json" when !r.IsCustom => patch is JsonObject p
                    ? StrategicMergePatch.Apply(current, p)
                    : throw ApiException.BadRequest("a strategic merge patch must be an object"),
                _ => throw ApiException.BadRequest($"unsupported patch type {kind}"),
            };
            if (patched is not JsonObject updated)
            {
                throw ApiException.BadRequest("the patch did not produce an object");
            }

            var patchCarriesRv = Meta(updated)["resourceVersion"]?.GetValue<string>() != currentRv;
            if (!patchCarriesRv)
            {
                Meta(updated)["resourceVersion"] = currentRv;
            }

            try
            {
                return Update(r, ns, name, updated, fieldValidation, statusOnly, dryRun, warnings);
            }
            catch (ApiException e) when (e.Reason == "Conflict" && !patchCarriesRv && attempt < 5)
            {
                // Someone wrote in between; a patch without resourceVersion applies to the newest object.
            }
        }
    }

    /// <summary>
    /// Deletes (DELETE): with finalizers (or a Foreground/Orphan policy) the object only gets deletionTimestamp and is
    /// returned; otherwise it goes at once and a Success Status is returned.
    /// </summary>
    public JsonObject Delete(ApiResource r, string? ns, string name, DeleteOptions options)
    {
        var current = store.Get(r.Type, ns, name) ?? throw ApiException.NotFound(r, name);
        var meta = Meta(current);
        if (options.PreconditionUid is { } uid && uid != meta["uid"]?.GetValue<string>())
        {
            throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on {r.Type} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {meta["uid"]}", StatusObjects.Details(r, name));
        }

        if (options.PreconditionResourceVersion is { } prv && prv != meta["resourceVersion"]?.GetValue<string>())
        {
            throw new ApiException(409, "Conflict", $"Operation cannot be fulfilled on {r.Type} \"{name}\": Precondition failed: ResourceVersion in precondition: {prv}, ResourceVersion in object meta: {meta["resourceVersion"]}", StatusObjects.Details(r, name));
        }

        var finalizers = Finalizers(current);
        var extra = options.PropagationPolicy switch
        {
            "Foreground" => ForegroundFinalizer,
            "Orphan" => OrphanFinalizer,
            _ => null,
        };
        var graceful = GracefulPodDeletion(r, current, options);
        if (meta["deletionTimestamp"] is not null)
        {
            // A forced delete (grace 0) of a terminating pod without finalizers ends it now.
            if (r.Type == ResourceType.Pods && options.GracePeriodSeconds == 0 && finalizers.Count == 0 && !options.DryRun)
            {
                var forced = store.Remove(r.Type, ns, name) ?? throw ApiException.NotFound(r, name);
                return Present(r, forced);
            }

            return Present(r, current);
        }

        if (graceful is { } grace)
        {
            // As for a real kubelet: the node agent stops the containers, then removes the pod.
            meta["deletionTimestamp"] = InMemoryObjectStore.Timestamp(DateTimeOffset.UtcNow.AddSeconds(grace));
            meta["deletionGracePeriodSeconds"] = grace;
            if (extra is not null && !finalizers.Contains(extra))
            {
                finalizers.Add(extra);
                meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f).ToArray());
            }

            return options.DryRun ? Present(r, current) : Present(r, Translate(r, name, () => store.Replace(r.Type, ns, current)));
        }

        if (finalizers.Count == 0 && extra is null)
        {
            if (options.DryRun)
            {
                return StatusObjects.Success(r, name, meta["uid"]?.GetValue<string>());
            }

            var gone = store.Remove(r.Type, ns, name) ?? throw ApiException.NotFound(r, name);
            return StatusObjects.Success(r, name, gone["metadata"]?["uid"]?.GetValue<string>());
        }

        if (extra is not null && !finalizers.Contains(extra))
        {
            finalizers.Add(extra);
        }

        meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f).ToArray());
        meta["deletionTimestamp"] = InMemoryObjectStore.Timestamp(DateTimeOffset.UtcNow);
        meta["deletionGracePeriodSeconds"] = 0;
        if (options.DryRun)
        {
            return Present(r, current);
        }

        return Present(r, Translate(r, name, () => store.Replace(r.Type, ns, current)));
    }

    // A pod running on the node is deleted gracefully (deletionTimestamp and grace period); an unscheduled or
    // finished pod, or a grace period of 0, deletes at once.
    private static long? GracefulPodDeletion(ApiResource r, JsonObject pod, DeleteOptions options)
    {
        if (r.Type != ResourceType.Pods)
        {
            return null;
        }

        var grace = options.GracePeriodSeconds ?? JsonNumber.Long(pod["spec"]?["terminationGracePeriodSeconds"]) ?? 30;
        var bound = !string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>());
        var phase = pod["status"]?["phase"]?.GetValue<string>();
        return bound && grace > 0 && phase is not ("Succeeded" or "Failed") ? grace : null;
    }

    /// <summary>Removes one finalizer (used by garbage collection); deletes the object when it was the last one.</summary>
    public void RemoveFinalizer(ResourceType type, string? ns, string name, string finalizer)
    {
        var current = store.Get(type, ns, name);
        if (current is null || !Finalizers(current).Contains(finalizer))
        {
            return;
        }

        var left = Finalizers(current).Where(f => f != finalizer).ToList();
        Meta(current)["finalizers"] = new JsonArray(left.Select(f => (JsonNode)f).ToArray());
        var result = store.Replace(type, ns, current);
        var r = catalog.Find(type);
        if (r is not null)
        {
            FinishIfReleased(r, ns, result);
        }
        else if (left.Count == 0 && Meta(result)["deletionTimestamp"] is not null)
        {
            store.Remove(type, ns, name);
        }
    }

    /// <summary>The object's finalizers.</summary>
    public static List<string> Finalizers(JsonObject obj) =>
        (obj["metadata"]?["finalizers"] as JsonArray ?? []).Select(f => f?.GetValue<string>() ?? "").ToList();

    private JsonObject FinishIfReleased(ApiResource r, string? ns, JsonObject result)
    {
        var meta = Meta(result);
        // A terminating pod with a grace period stays until the node agent has stopped it.
        if (meta["deletionTimestamp"] is not null && Finalizers(result).Count == 0 && (JsonNumber.Long(meta["deletionGracePeriodSeconds"]) ?? 0) == 0)
        {
            return store.Remove(r.Type, ns, meta["name"]!.GetValue<string>()) ?? result;
        }

        return result;
    }

    // Names are DNS subdomains; namespaces and Services, whose names become DNS labels, are single labels.
    private static void CheckName(ApiResource r, string name)
    {
        const string label = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
        var single = r.Type == ResourceType.Namespaces || r.Type == ResourceType.Services;
        var ok = single
            ? name.Length <= 63 && System.Text.RegularExpressions.Regex.IsMatch(name, $"^{label}$")
            : name.Length <= 253 && System.Text.RegularExpressions.Regex.IsMatch(name, $"^{label}(\\.{label})*$");
        if (!ok)
        {
            var rule = single
                ? "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character"
                : "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
            throw ApiException.Invalid(r, name, [("metadata.name", $"Invalid value: \"{name}\": {rule}")]);
        }
    }

    private string? CheckNamespace(ApiResource r, string? ns, JsonObject meta)
    {
        if (!r.Namespaced)
        {
            meta.Remove("namespace");
            return null;
        }

        var bodyNs = meta["namespace"]?.GetValue<string>();
        ns ??= bodyNs ?? "default";
        if (bodyNs is not null && bodyNs.Length > 0 && bodyNs != ns)
        {
            throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
        }

        if (store.Get(ResourceType.Namespaces, null, ns) is null)
        {
            var nsResource = catalog.Find(ResourceType.Namespaces)!;
            throw ApiException.NotFound(nsResource, ns);
        }

        return ns;
    }

    // Kind-specific defaulting the real server does on every write.
    private static void Normalize(ApiResource r, JsonObject obj, JsonObject? current)
    {
        if (r.Type == ResourceType.Secrets && obj["stringData"] is JsonObject stringData)
        {
            var data = obj["data"] as JsonObject ?? new JsonObject();
            foreach (var (k, v) in stringData)
            {
                data[k] = Convert.ToBase64String(Encoding.UTF8.GetBytes(v?.GetValue<string>() ?? ""));
            }

            obj["data"] = data;
            obj.Remove("stringData");
            obj["type"] ??= "Opaque";
        }
        else if (r.Type == ResourceType.Secrets)
        {
            obj["type"] ??= "Opaque";
        }

        if (r.Type == ResourceType.Pods && obj["spec"] is JsonObject podSpec)
        {
            podSpec["restartPolicy"] ??= "Always";
            foreach (var c in (podSpec["containers"] as JsonArray ?? []).Concat(podSpec["initContainers"] as JsonArray ?? []).OfType<JsonObject>())
            {
                foreach (var port in (c["ports"] as JsonArray ?? []).OfType<JsonObject>())
                {
                    port["protocol"] ??= "TCP";
                }
            }

            if (current is null)
            {
                obj["status"] = new JsonObject { ["phase"] = "Pending", ["qosClass"] = "BestEffort" };
            }
        }

        if (r.Type == ResourceType.Services && obj["spec"] is JsonObject spec)
        {
            spec["type"] ??= "ClusterIP";
            foreach (var port in (spec["ports"] as JsonArray ?? []).OfType<JsonObject>())
            {
                port["protocol"] ??= "TCP";
                port["targetPort"] ??= port["port"]?.DeepClone();
            }

            // The cluster IP is immutable once assigned (by the Service proxies).
            if (current?["spec"]?["clusterIP"] is { } ip && spec["clusterIP"] is null)
            {
                spec["clusterIP"] = ip.DeepClone();
            }
        }
    }

    private static void CheckCrd(JsonObject crd)
    {
        var resources = CrdResources.From(crd);
        var spec = crd["spec"]!;
        var expected = $"{spec["names"]?["plural"]}.{spec["group"]}";
        var name = crd["metadata"]?["name"]?.GetValue<string>();
        if (name != expected)
        {
            throw new ApiException(422, "Invalid", $"CustomResourceDefinition.apiextensions.k8s.io \"{name}\" is invalid: metadata.name: Invalid value: \"{name}\": must be spec.names.plural+\".\"+spec.group");
        }

        if (resources.Count == 0)
        {
            throw new ApiException(422, "Invalid", $"CustomResourceDefinition.apiextensions.k8s.io \"{name}\" is invalid: spec.versions: Invalid value: must have exactly one version marked as storage version");
        }
    }

    private static JsonObject CrdStatus(JsonObject crd)
    {
        var now = InMemoryObjectStore.Timestamp(DateTimeOffset.UtcNow);
        JsonObject Condition(string type, string reason, string message) => new()
        {
            ["type"] = type,
            ["status"] = "True",
            ["lastTransitionTime"] = now,
            ["reason"] = reason,
            ["message"] = message,
        };
        var versions = (crd["spec"]?["versions"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(v => v["storage"] is JsonValue s && s.TryGetValue<bool>(out var b) && b)
            .Select(v => (JsonNode)(v["name"]?.GetValue<string>() ?? "")).ToArray();
        return new JsonObject
        {
            ["acceptedNames"] = crd["spec"]?["names"]?.DeepClone(),
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found"),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted")),
            ["storedVersions"] = new JsonArray(versions),
        };
    }

    private static JsonObject Translate(ApiResource r, string name, Func<JsonObject> write)
    {
        try
        {
            return write();
        }
        catch (StoreException e)
        {
            var message = e.Reason switch
            {
                "AlreadyExists" => $"{r.Type} \"{name}\" already exists",
                "NotFound" => $"{r.Type} \"{name}\" not found",
                _ => e.Message,
            };
            throw new ApiException(e.Code, e.Reason, message, StatusObjects.Details(r, name));
        }
    }

    private static string RandomSuffix()
    {
        const string alphabet = "bcdfghjklmnpqrstvwxz2456789";
        return new string(Enumerable.Range(0, 5).Select(_ => alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]).ToArray());
    }

    private static JsonObject Meta(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject m)
        {
            return m;
        }

        var created = new JsonObject();
        obj["metadata"] = created;
        return created;
    }
}
