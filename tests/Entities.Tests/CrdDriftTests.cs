using System.Text.Json.Nodes;
using PgReplica.Entities.Crd;
using PgReplica.Entities.V1Alpha1;

namespace PgReplica.Entities.Tests;

public class CrdDriftTests
{
    [Fact]
    public void CommittedCrdMatchesTheTypes()
    {
        var path = RepoRoot.File(PostgresReplicaSetCrd.FilePath);
        var generated = CrdGenerator.GenerateYaml(typeof(PostgresReplicaSet));
        if (Environment.GetEnvironmentVariable("PGREPLICA_UPDATE_CRDS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, generated);
        }

        Assert.True(File.Exists(path), $"{path} is missing: run `pgreplica crd > {PostgresReplicaSetCrd.FilePath}` "
            + "or PGREPLICA_UPDATE_CRDS=1 dotnet test tests/Entities.Tests");
        var committed = File.ReadAllText(path);
        Assert.True(committed == generated, $"{PostgresReplicaSetCrd.FilePath} differs from the C# types; regenerate it "
            + $"(PGREPLICA_UPDATE_CRDS=1 dotnet test tests/Entities.Tests). First difference at line {FirstDifferentLine(committed, generated)}.");
    }

    [Fact]
    public void GenerationIsDeterministic() =>
        Assert.Equal(CrdGenerator.GenerateYaml(typeof(PostgresReplicaSet)), CrdGenerator.GenerateYaml(typeof(PostgresReplicaSet)));

    [Fact]
    public void YamlReadsBackAsTheJsonObject()
    {
        var fromYaml = YamlToJson.Read(CrdGenerator.GenerateYaml(typeof(PostgresReplicaSet)));
        Assert.True(JsonNode.DeepEquals(CrdGenerator.GenerateJson(typeof(PostgresReplicaSet)), fromYaml),
            "the emitted YAML does not parse back to the generated JSON");
    }

    private static int FirstDifferentLine(string a, string b)
    {
        var left = a.Split('\n');
        var right = b.Split('\n');
        var i = 0;
        while (i < left.Length && i < right.Length && left[i] == right[i])
        {
            i++;
        }

        return i + 1;
    }
}
