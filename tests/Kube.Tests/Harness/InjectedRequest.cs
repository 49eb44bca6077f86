using System.Web;

namespace PgReplica.Kube.Tests.Harness;

/// <summary>What a <see cref="SandboxApi.Fault"/> rule sees of a request.</summary>
public sealed class InjectedRequest(HttpRequestMessage request, string caller)
{
    /// <summary>GET, POST, PUT, PATCH, DELETE.</summary>
    public string Method { get; } = request.Method.Method;

    /// <summary>The URL path.</summary>
    public string Path { get; } = request.RequestUri!.AbsolutePath;

    /// <summary>Query parameters (null when absent).</summary>
    public QueryValues Query { get; } = new(HttpUtility.ParseQueryString(request.RequestUri!.Query));

    /// <summary>Which test client sent it.</summary>
    public string Caller { get; } = caller;

    /// <summary>The Authorization header as sent.</summary>
    public string? Authorization { get; } = request.Headers.Authorization?.ToString();

    /// <summary>Read-only query access.</summary>
    public sealed class QueryValues(System.Collections.Specialized.NameValueCollection values)
    {
        /// <summary>The value of <paramref name="key"/>, or null.</summary>
        public string? this[string key] => values[key];
    }
}
