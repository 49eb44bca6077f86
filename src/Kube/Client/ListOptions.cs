namespace PgReplica.Kube.Client;

/// <summary>Query options for list and watch requests.</summary>
public sealed record ListOptions
{
    /// <summary>e.g. <c>app=x,role!=primary</c>.</summary>
    public string? LabelSelector { get; init; }

    /// <summary>e.g. <c>metadata.name=x</c>.</summary>
    public string? FieldSelector { get; init; }

    /// <summary>Start point for a watch, or the list semantic ("0" = any cached, null = most recent).</summary>
    public string? ResourceVersion { get; init; }

    /// <summary>Server-side watch timeout.</summary>
    public int? TimeoutSeconds { get; init; }

    /// <summary>Ask the server for BOOKMARK events on watches.</summary>
    public bool AllowWatchBookmarks { get; init; } = true;
}
