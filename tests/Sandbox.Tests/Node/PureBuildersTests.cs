using System.Diagnostics;
using System.Net;
using System.Text.Json.Nodes;
using PgReplica.Sandbox.Networking;
using PgReplica.Sandbox.Node;

namespace PgReplica.Sandbox.Tests.Node;

public class PureBuildersTests
{
    [Theory]
    [InlineData("postgres", true)]
    [InlineData("postgres:17", true)]
    [InlineData("postgres:16-alpine", true)]
    [InlineData("docker.io/library/postgres:15", true)]
    [InlineData("postgres@sha256:abcd", true)]
    [InlineData("bitnami/postgresql:16", false)]
    [InlineData("nginx", false)]
    [InlineData("myregistry:5000/postgres:17", false)]
    public void OnlyPostgresImagesAreAccepted(string image, bool accepted) => Assert.Equal(accepted, PostgresImage.Accepts(image));

    [Fact]
    public void ArgvFollowsKubernetesCommandAndArgsOverTheImageDefault()
    {
        Assert.Equal(["postgres"], PostgresImage.Argv(null, null));
        Assert.Equal(["postgres", "-c", "x=1"], PostgresImage.Argv(null, ["-c", "x=1"]));
        Assert.Equal(["initdb", "-D", "/d"], PostgresImage.Argv(null, ["initdb", "-D", "/d"]));
        Assert.Equal(["sh", "-c", "echo"], PostgresImage.Argv(["sh"], ["-c", "echo"]));
    }

    [Fact]
    public void ExpansionReplacesDefinedVariablesOnly()
    {
        var vars = new Dictionary<string, string> { ["A"] = "1", ["PGDATA"] = "/d" };
        Assert.Equal("1-/d/x", ContainerEnvironment.Expand("$(A)-$(PGDATA)/x", vars));
        Assert.Equal("$(B) $(A) $ $x", ContainerEnvironment.Expand("$(B) $$(A) $ $x", vars));
        Assert.Equal("$(A", ContainerEnvironment.Expand("$(A", vars));
    }

    [Fact]
    public void EnvironmentPutsSpecOverImageAndFailsOnMissingSecret()
    {
        var facts = new PodFacts("ns", "p", "u", "127.10.0.1", "127.0.0.1", "sandbox");
        var spec = JsonNode.Parse("""
            [{"name":"PGDATA","value":"/data/$(SUB)"},{"name":"SUB","value":"pg"},{"name":"X","value":"$(SUB)"},
             {"name":"NS","valueFrom":{"fieldRef":{"fieldPath":"metadata.namespace"}}},
             {"name":"OPT","valueFrom":{"secretKeyRef":{"name":"gone","key":"k","optional":true}}}]
            """)!.AsArray().OfType<JsonObject>().ToList();
        var envFrom = JsonNode.Parse("""[{"configMapRef":{"name":"cm"},"prefix":"CM_"},{"secretRef":{"name":"missing","optional":true}}]""")!.AsArray().OfType<JsonObject>().ToList();
        var env = ContainerEnvironment.Build(new Dictionary<string, string> { ["PGDATA"] = "/img", ["PATH"] = "/bin" }, spec, envFrom, facts,
            (kind, name) => kind == "configMap" && name == "cm" ? new Dictionary<string, string> { ["A"] = "from-cm" } : null);
        Assert.Equal("from-cm", env["CM_A"]);
        Assert.Equal("/data/$(SUB)", env["PGDATA"]); // SUB was not defined yet
        Assert.Equal("pg", env["X"]);
        Assert.Equal("ns", env["NS"]);
        Assert.Equal("/bin", env["PATH"]);
        Assert.False(env.ContainsKey("OPT"));
        var required = JsonNode.Parse("""[{"name":"P","valueFrom":{"secretKeyRef":{"name":"gone","key":"k"}}}]""")!.AsArray().OfType<JsonObject>().ToList();
        Assert.Throws<ContainerConfigException>(() => ContainerEnvironment.Build(new Dictionary<string, string>(), required, [], facts, (_, _) => null));
    }

    [Fact]
    public void HostsFileNamesServicesByEveryDnsForm()
    {
        var text = HostsFile.Build("default", "db-1", "127.10.0.7", [
            new ServiceAddress("default", "db-rw", ["127.20.0.1"]),
            new ServiceAddress("other", "x", ["127.20.0.2"]),
        ]);
        var lines = text.Split('\n');
        Assert.Contains("127.10.0.7\tlocalhost db-1", lines);
        Assert.Contains("127.20.0.1\tdb-rw.default.svc.cluster.local db-rw.default.svc db-rw.default db-rw", lines);
        Assert.Contains("127.20.0.2\tx.other.svc.cluster.local x.other.svc x.other", lines);
    }

    [Fact]
    public void PoolIsStickyPerKeyAndSkipsTakenAddresses()
    {
        var pool = new LoopbackAddressPool(10);
        var a = pool.AddressFor("ns/a");
        pool.Reserve("ns/c", IPAddress.Parse("127.10.0.2"));
        var b = pool.AddressFor("ns/b");
        Assert.Equal(IPAddress.Parse("127.10.0.1"), a);
        Assert.Equal(IPAddress.Parse("127.10.0.3"), b);
        Assert.Equal(a, pool.AddressFor("ns/a"));
        Assert.True(pool.Contains(b));
        Assert.False(pool.Contains(IPAddress.Parse("127.11.0.1")));
    }

    [Fact]
    public void LauncherQuotesPathsSoTheShellRunsTheArgvUnchanged()
    {
        var dir = Path.Combine(Path.GetTempPath(), "pgr-launch-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        try
        {
            var log = Path.Combine(dir, "it's a log");
            var script = Path.Combine(dir, "l.sh");
            // No mounts and the current user: only the quoting, redirection and exec are exercised.
            File.WriteAllText(script, LaunchScript.Launcher([], log, dir, ["/usr/bin/env", "--"]));
            using var p = Process.Start("/bin/sh", [script, "sh", "-c", "printf '%s|' \"$@\"; pwd", "x", "a b", "$HOME", "'"])!;
            p.WaitForExit();
            Assert.Equal($"a b|$HOME|'|{dir}\n", File.ReadAllText(log));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
