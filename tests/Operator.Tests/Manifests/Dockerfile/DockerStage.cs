namespace PgReplica.Operator.Tests.Manifests.Dockerfile;

/// <summary>A build stage: its FROM image, optional <c>AS</c> name and <c>--platform</c>, and the instructions after FROM.</summary>
internal sealed record DockerStage(int Index, string Image, string? Name, string? Platform, DockerInstruction From,
    IReadOnlyList<DockerInstruction> Instructions)
{
    /// <summary>This stage's instructions with the given keyword, in order.</summary>
    public IEnumerable<DockerInstruction> All(string keyword) =>
        Instructions.Where(instruction => instruction.Keyword == keyword);

    /// <summary>The last instruction with the given keyword (the one that takes effect), or null.</summary>
    public DockerInstruction? Last(string keyword) => All(keyword).LastOrDefault();
}
