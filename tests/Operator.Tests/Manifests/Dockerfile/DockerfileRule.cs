namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>A lint rule in the spirit of hadolint: an id, what it wants, and the violations it finds.</summary>
internal sealed record DockerfileRule(string Id, string Wants, Func<DockerfileDocument, IEnumerable<string>> Find)
{
    /// <summary>Violations, each prefixed with the rule id.</summary>
    public IEnumerable<string> Check(DockerfileDocument dockerfile) =>
        Find(dockerfile).Select(violation => $"{Id}: {violation}");
}
