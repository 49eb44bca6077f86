using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace PgReplica.Sandbox.Api.Strategies;

/// <summary>
/// What one kind adds to the generic write flow, as kube-apiserver's registry strategies do: prepare an object for
/// create and update, validate it, follow up after create, delete gracefully. This base serves kinds with no rules of
/// their own: names are DNS subdomains, and a kind with a status subresource takes status only through it.
/// </summary>
internal partial class ResourceStrategy(ApiResource resource)
{
    /// <summary>The resource served with this strategy.</summary>
    protected ApiResource Resource => resource;

    /// <summary>Whether an update may leave out metadata.resourceVersion (custom resources must send it).</summary>
    public virtual bool AllowUnconditionalUpdate => true;

    /// <summary>Whether the kind waits for the node to stop it before it goes (pods).</summary>
    public virtual bool DeletesGracefully => false;

    /// <summary>Whether names are single DNS labels (they become host names) rather than DNS subdomains.</summary>
    protected virtual bool NameIsLabel => false;

    /// <summary>Clears and defaults fields of a new object before it is validated.</summary>
    public virtual void PrepareForCreate(JsonObject obj, WriteContext context)
    {
        if (resource.HasStatus)
        {
            obj.Remove("status");
        }

        ApplyDefaults(obj, null, context);
    }

    /// <summary>Clears and defaults fields of a replacement before it is validated; <paramref name="old"/> is the stored object.</summary>
    public virtual void PrepareForUpdate(JsonObject obj, JsonObject old, WriteContext context)
    {
        if (resource.HasStatus && old["status"] is { } status)
        {
            obj["status"] = status.DeepClone();
        }
        else if (resource.HasStatus)
        {
            obj.Remove("status");
        }

        ApplyDefaults(obj, old, context);
    }

    /// <summary>Prepares a write through the status subresource: <paramref name="obj"/> is the stored object with the new status.</summary>
    public virtual void PrepareForStatusUpdate(JsonObject obj, JsonObject old, WriteContext context)
    {
    }

    /// <summary>What is wrong with a new object.</summary>
    public virtual IReadOnlyList<FieldError> Validate(JsonObject obj, WriteContext context)
    {
        var name = obj["metadata"]?["name"]?.GetValue<string>() ?? "";
        return NameIsLabel
            ? Check(name, name.Length <= 63 && Label().IsMatch(name),
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character")
            : Check(name, name.Length <= 253 && Subdomain().IsMatch(name),
                "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character");

        static IReadOnlyList<FieldError> Check(string name, bool valid, string rule) =>
            valid ? [] : [FieldError.Invalid("metadata.name", FieldError.Quote(name), rule)];
    }

    /// <summary>What is wrong with a replacement of <paramref name="old"/>.</summary>
    public virtual IReadOnlyList<FieldError> ValidateUpdate(JsonObject obj, JsonObject old, WriteContext context) => [];

    /// <summary>What is wrong with a status write; <paramref name="obj"/> as prepared by <see cref="PrepareForStatusUpdate"/>.</summary>
    public virtual IReadOnlyList<FieldError> ValidateStatusUpdate(JsonObject obj, JsonObject old, WriteContext context) => [];

    /// <summary>Fills in what the server sets on every create and update; <paramref name="old"/> is null on create.</summary>
    protected virtual void ApplyDefaults(JsonObject obj, JsonObject? old, WriteContext context)
    {
    }

    /// <summary>The status a new object gets at once (as the real server's controllers write it), or null.</summary>
    public virtual JsonNode? AfterCreate(JsonObject created) => null;

    /// <summary>
    /// For a kind that <see cref="DeletesGracefully"/>: the seconds the object stays terminating, or null when it goes at once.
    /// </summary>
    public virtual long? GracePeriod(JsonObject obj, DeleteOptions options) => null;

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    private static partial Regex Label();

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$")]
    private static partial Regex Subdomain();
}
