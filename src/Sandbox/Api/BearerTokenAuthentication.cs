using Microsoft.AspNetCore.Http;

namespace PgReplica.Sandbox.Api;

/// <summary>
/// Lets a request in only with the sandbox's bearer token, as kube-apiserver's token authenticator does; health
/// and version stay open, as kube-apiserver's system:public-info-viewer role leaves them.
/// </summary>
internal sealed class BearerTokenAuthentication(ApiServerCredentials credentials, RequestDelegate next)
{
    private static readonly string[] PublicPaths = ["/version", "/healthz", "/livez", "/readyz"];

    /// <summary>Answers 401 with a Status body, or passes the request on.</summary>
    public async Task HandleAsync(HttpContext ctx)
    {
        if (IsPublic(ctx.Request.Path) || credentials.Accepts(Presented(ctx.Request.Headers.Authorization.ToString())))
        {
            await next(ctx);
            return;
        }

        ctx.Response.StatusCode = 401;
        ctx.Response.ContentType = "application/json";
        await ctx.Response.WriteAsync(StatusObjects.Failure(401, "Unauthorized", "Unauthorized").ToJsonString());
    }

    private static bool IsPublic(PathString path) =>
        PublicPaths.Any(p => path.Equals(p, StringComparison.Ordinal) || path.StartsWithSegments(p, StringComparison.Ordinal));

    private static string? Presented(string header) =>
        header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
}
