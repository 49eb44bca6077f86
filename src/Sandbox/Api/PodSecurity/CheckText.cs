namespace PgReplica.Sandbox.Api.PodSecurity;

/// <summary>The phrasing the checks share: plurals, quoted lists, "pod and containers "a", "b"".</summary>
internal static class CheckText
{
    /// <summary>The singular for one, else the plural.</summary>
    public static string Plural(int count, string singular, string plural) => count == 1 ? singular : plural;

    /// <summary>"a", "b" (no escaping, as upstream).</summary>
    public static string JoinQuote(IEnumerable<string> items)
    {
        var list = items.ToList();
        return list.Count == 0 ? "" : "\"" + string.Join("\", \"", list) + "\"";
    }

    /// <summary>container "a" or containers "a", "b".</summary>
    public static string Containers(IReadOnlyList<string> names) => $"{Plural(names.Count, "container", "containers")} {JoinQuote(names)}";

    /// <summary>Who set a bad value: "pod", a containers phrase, then <paramref name="more"/>, joined with " and ".</summary>
    public static string Setters(bool pod, IReadOnlyList<string> containers, string? more = null)
    {
        var setters = new List<string>();
        if (pod)
        {
            setters.Add("pod");
        }

        if (containers.Count > 0)
        {
            setters.Add(Containers(containers));
        }

        if (more is not null)
        {
            setters.Add(more);
        }

        return string.Join(" and ", setters);
    }

    /// <summary>Distinct values in ordinal order (what upstream's string sets list).</summary>
    public static IReadOnlyList<string> Sorted(IEnumerable<string> values) => values.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
}
