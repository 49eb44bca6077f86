using System.Security.Cryptography;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Api.Admission;
using PgReplica.Sandbox.Api.Strategies;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// The API server's generic write flow over the store, the same for every kind (kube-apiserver's registry Store):
/// server-owned metadata, namespaces, resourceVersion preconditions, finalizers, deletionTimestamp and propagation
/// policies. What differs by kind comes from the resource's strategy in the <see cref="ResourceCatalog"/>; a write the
/// strategy found valid then passes validating admission (Pod Security), which may refuse it or add warnings.
/// Audit annotations go to <paramref name="auditLogPath"/> when given.
/// </summary>
public sealed class ObjectOperations(InMemoryObjectStore store, ResourceCatalog catalog, string? auditLogPath = null)
{
    /// <summary>Finalizer a Foreground delete puts on the owner until its blocking dependents are gone.</summary>
    public const string ForegroundFinalizer = "foregroundDeletion";

    /// <summary>Finalizer an Orphan delete puts on the owner until its dependents have lost their ownerReferences.</summary>
    public const string OrphanFinalizer = "orphan";

    private readonly IReadOnlyList<IValidatingAdmission> _admission =
        [new PodSecurityAdmission(store, auditLogPath is null ? null : new AuditLog(auditLogPath))];

    private static readonly string[] ServerSetOnCreate = ["uid", "resourceVersion", "creationTimestamp", "deletionTimestamp", "generation", "managedFields"];

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
        var strategy = catalog.Strategy(r);
        var obj = Present(r, body);
        var meta = Meta(obj);
        if (string.IsNullOrEmpty(meta["name"]?.GetValue<string>()) && meta["generateName"]?.GetValue<string>() is { Length: > 0 } prefix)
        {
            meta["name"] = prefix + RandomSuffix();
        }

        var name = meta["name"]?.GetValue<string>() ?? "";
        if (name.Length == 0)
        {
            throw ApiException.Invalid(r, "", [FieldError.Required("metadata.name", "name or generateName is required")]);
        }

        ns = CheckNamespace(r, ns, meta);
        foreach (var field in ServerSetOnCreate)
        {
            meta.Remove(field);
        }

        var context = new WriteContext(fieldValidation);
        strategy.PrepareForCreate(obj, context);
        ApiException.ThrowIfInvalid(r, name, strategy.Validate(obj, context));
        Admit(new AdmissionRequest(AdmissionOperation.Create, r, ns, name, obj, null, context));
        warnings?.AddRange(context.Warnings);
        if (dryRun)
        {
            return obj;
        }

        var created = Translate(r, name, () => store.Create(r.Type, ns, obj));
        if (strategy.AfterCreate(created) is { } status)
        {
            created["status"] = status;
            created = store.ReplaceStatus(r.Type, ns, created);
        }

        return Present(r, created);
    }

    /// <summary>Replaces the object (PUT), or only its status when <paramref name="statusOnly"/>.</summary>
    public JsonObject Update(ApiResource r, string? ns, string name, JsonObject body, string? fieldValidation = null, bool statusOnly = false,
        bool dryRun = false, List<string>? warnings = null)
    {
        var strategy = catalog.Strategy(r);
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
        if (string.IsNullOrEmpty(rv) && !strategy.AllowUnconditionalUpdate)
        {
            throw ApiException.Invalid(r, name, [FieldError.Invalid("metadata.resourceVersion", "0x0", "must be specified for an update")]);
        }

        var context = new WriteContext(fieldValidation);
        JsonObject result;
        if (statusOnly)
        {
            var merged = (JsonObject)current.DeepClone();
            merged["status"] = obj["status"]?.DeepClone();
            Meta(merged)["resourceVersion"] = rv;
            strategy.PrepareForStatusUpdate(merged, current, context);
            ApiException.ThrowIfInvalid(r, name, strategy.ValidateStatusUpdate(merged, current, context));
            warnings?.AddRange(context.Warnings);
            if (dryRun)
            {
                return Present(r, merged);
            }

            result = Translate(r, name, () => store.ReplaceStatus(r.Type, ns, merged));
        }
        else
        {
            KeepDeletionState(r, obj, current);
            strategy.PrepareForUpdate(obj, current, context);
            ApiException.ThrowIfInvalid(r, name, strategy.ValidateUpdate(obj, current, context));
            Admit(new AdmissionRequest(AdmissionOperation.Update, r, ns, name, obj, current, context));
            warnings?.AddRange(context.Warnings);
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
        var patch = PatchDocument.Parse(r, contentType, body);
        for (var attempt = 0; ; attempt++)
        {
            var current = store.Get(r.Type, ns, name);
            if (current is null)
            {
                if (patch.IsApply && patch.Patch is JsonObject applied && !statusOnly)
                {
                    return Create(r, ns, applied, fieldValidation, dryRun, warnings);
                }

                throw ApiException.NotFound(r, name);
            }

            var currentRv = Meta(current)["resourceVersion"]?.GetValue<string>();
            var updated = patch.ApplyTo(current);
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
    /// returned; a kind that deletes gracefully stays terminating for its grace period; otherwise it goes at once and a
    /// Success Status is returned.
    /// </summary>
    public JsonObject Delete(ApiResource r, string? ns, string name, DeleteOptions options)
    {
        var strategy = catalog.Strategy(r);
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
        if (meta["deletionTimestamp"] is not null)
        {
            // A forced delete (grace 0) of a gracefully terminating object without finalizers ends it now.
            if (strategy.DeletesGracefully && options.GracePeriodSeconds == 0 && finalizers.Count == 0 && !options.DryRun)
            {
                var forced = store.Remove(r.Type, ns, name) ?? throw ApiException.NotFound(r, name);
                return Present(r, forced);
            }

            return Present(r, current);
        }

        if (extra is not null && !finalizers.Contains(extra))
        {
            finalizers.Add(extra);
        }

        if (strategy.DeletesGracefully && strategy.GracePeriod(current, options) is { } grace)
        {
            meta["deletionTimestamp"] = InMemoryObjectStore.Timestamp(DateTimeOffset.UtcNow.AddSeconds(grace));
            meta["deletionGracePeriodSeconds"] = grace;
        }
        else if (finalizers.Count == 0)
        {
            if (options.DryRun)
            {
                return StatusObjects.Success(r, name, meta["uid"]?.GetValue<string>());
            }

            var gone = store.Remove(r.Type, ns, name) ?? throw ApiException.NotFound(r, name);
            return StatusObjects.Success(r, name, gone["metadata"]?["uid"]?.GetValue<string>());
        }
        else
        {
            meta["deletionTimestamp"] = InMemoryObjectStore.Timestamp(DateTimeOffset.UtcNow);
            meta["deletionGracePeriodSeconds"] = 0;
        }

        if (finalizers.Count > 0)
        {
            meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)f).ToArray());
        }

        return options.DryRun ? Present(r, current) : Present(r, Translate(r, name, () => store.Replace(r.Type, ns, current)));
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

    // Only writes of the object itself are admitted: Pod Security ignores the status subresource, as upstream.
    private void Admit(AdmissionRequest request)
    {
        foreach (var plugin in _admission)
        {
            plugin.Validate(request);
        }
    }

    // Deletion fields are the server's: a write can neither set nor clear them, nor add finalizers once deletion began.
    private static void KeepDeletionState(ApiResource r, JsonObject obj, JsonObject current)
    {
        var meta = Meta(obj);
        var currentMeta = Meta(current);
        foreach (var field in new[] { "deletionTimestamp", "deletionGracePeriodSeconds" })
        {
            if (currentMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
            else
            {
                meta.Remove(field);
            }
        }

        var before = Finalizers(current);
        var added = Finalizers(obj).Where(f => !before.Contains(f)).ToList();
        if (meta["deletionTimestamp"] is not null && added.Count > 0)
        {
            var name = meta["name"]?.GetValue<string>() ?? "";
            throw new ApiException(422, "Forbidden",
                $"{r.QualifiedKind} \"{name}\" is forbidden: no new finalizers can be added if the object is being deleted, found new finalizers [{string.Join(" ", added)}]",
                StatusObjects.Details(r, name));
        }
    }

    private JsonObject FinishIfReleased(ApiResource r, string? ns, JsonObject result)
    {
        var meta = Meta(result);
        // A terminating object with a grace period stays until the node agent has stopped it.
        if (meta["deletionTimestamp"] is not null && Finalizers(result).Count == 0 && (JsonNumber.Long(meta["deletionGracePeriodSeconds"]) ?? 0) == 0)
        {
            return store.Remove(r.Type, ns, meta["name"]!.GetValue<string>()) ?? result;
        }

        return result;
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
