namespace PgReplica.Sandbox.Api;

/// <summary>A resource URL taken apart: /api/v1/namespaces/ns/pods/name/log → group "", v1, ns, pods, name, log.</summary>
internal sealed record ApiPath(string Group, string Version, string? Namespace, string Plural, string? Name, string? Subresource)
{
    /// <summary>Parses a resource path, or returns null for anything else (discovery, openapi, unknown).</summary>
    public static ApiPath? Parse(string[] segments)
    {
        int rest;
        string group;
        string version;
        if (segments.Length >= 3 && segments[0] == "api")
        {
            (group, version, rest) = ("", segments[1], 2);
        }
        else if (segments.Length >= 4 && segments[0] == "apis")
        {
            (group, version, rest) = (segments[1], segments[2], 3);
        }
        else
        {
            return null;
        }

        var s = segments[rest..];
        if (s.Length >= 3 && s[0] == "namespaces")
        {
            return s.Length switch
            {
                3 => new ApiPath(group, version, s[1], s[2], null, null),
                4 => new ApiPath(group, version, s[1], s[2], s[3], null),
                5 => new ApiPath(group, version, s[1], s[2], s[3], s[4]),
                _ => null,
            };
        }

        return s.Length switch
        {
            1 => new ApiPath(group, version, null, s[0], null, null),
            2 => new ApiPath(group, version, null, s[0], s[1], null),
            3 => new ApiPath(group, version, null, s[0], s[1], s[2]),
            _ => null,
        };
    }
}
