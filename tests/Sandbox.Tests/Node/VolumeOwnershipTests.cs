using System.Text;
using PgReplica.Sandbox.Node;
using PgReplica.Sandbox.Store;

namespace PgReplica.Sandbox.Tests.Node;

/// <summary>fsGroup applied to volumes as the kubelet does: group, g+rw, setgid directories, at each mount, per fsGroupChangePolicy.</summary>
public class VolumeOwnershipTests
{
    private const UnixFileMode Mode600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode Mode700 = Mode600 | UnixFileMode.UserExecute;

    [Fact]
    public void FsGroupGivesEveryFileTheGroupAndGroupWriteAndEveryDirectorySetgid()
    {
        var root = Tree();
        try
        {
            Assert.True(VolumeOwnership.Apply(root, 4321, null, readOnly: false));

            Assert.Equal(4321, FileOwnership.Get(Path.Combine(root, "d", "f")).Gid);
            Assert.Equal(Mode600 | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, FileModes.Get(Path.Combine(root, "d", "f")));
            Assert.Equal(Mode700 | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute | UnixFileMode.SetGroup,
                FileModes.Get(Path.Combine(root, "d")));
            Assert.True(FileModes.Get(root).HasFlag(UnixFileMode.SetGroup));
            Assert.Equal(4321, FileOwnership.Get(root).Gid);
            // The symlink gets the group itself; its target outside the volume is left alone.
            Assert.Equal(4321, FileOwnership.Get(Path.Combine(root, "link")).Gid);
            Assert.Equal(0, FileOwnership.Get(Path.GetDirectoryName(root)!).Gid);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(root)!, recursive: true);
        }
    }

    [Fact]
    public void OnRootMismatchSkipsTheWalkWhileTheRootIsRightAndAlwaysDoesNot()
    {
        var root = Tree();
        try
        {
            Assert.True(VolumeOwnership.Apply(root, 4321, "OnRootMismatch", readOnly: false)); // the root did not match
            var file = Path.Combine(root, "d", "f");
            FileModes.Set(file, Mode600);

            Assert.False(VolumeOwnership.Apply(root, 4321, "OnRootMismatch", readOnly: false));
            Assert.Equal(Mode600, FileModes.Get(file));
            Assert.True(VolumeOwnership.RootMismatches(root, 1111, readOnly: false)); // another fsGroup walks again

            Assert.True(VolumeOwnership.Apply(root, 4321, "Always", readOnly: false));
            Assert.Equal(Mode600 | UnixFileMode.GroupRead | UnixFileMode.GroupWrite, FileModes.Get(file));
            Assert.False(VolumeOwnership.Apply(root, null, null, readOnly: false)); // no fsGroup, nothing to do
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(root)!, recursive: true);
        }
    }

    [Fact]
    public async Task EachPodStartOfAClaimAppliesFsGroupUnlessOnRootMismatchFindsTheRootRight()
    {
        await using var env = await NodeEnvironment.StartAsync(podOctet: 53);
        env.Create(ResourceType.PersistentVolumeClaims, """{"metadata":{"name":"own-data"},"spec":{"resources":{"requests":{"storage":"64Mi"}}}}""");

        // A fresh volume is root's 0755, as mkfs leaves it: fsGroup is what lets uid 999 write, into a setgid root.
        await RunAsync(env, "OnRootMismatch", "umask 077; mkdir -p /data/d; echo x > /data/d/f; stat -c '%a %g' /data /data/d /data/d/f",
            "2775 999\n2700 999\n600 999\n");
        // The root is still right: OnRootMismatch leaves the 0600 file and 0700 directory as postgres wants them.
        await RunAsync(env, "OnRootMismatch", "stat -c '%a %g' /data/d /data/d/f", "2700 999\n600 999\n");
        // Always (the default) walks the tree at each mount: g+rw on the file, g+rwx and setgid on the directory.
        await RunAsync(env, null, "stat -c '%a %g' /data/d /data/d/f", "2770 999\n660 999\n");
    }

    private static async Task RunAsync(NodeEnvironment env, string? policy, string script, string expected)
    {
        var policyField = policy is null ? "" : $",\"fsGroupChangePolicy\":\"{policy}\"";
        env.CreatePod($$$"""
            {"metadata":{"name":"owner"},
             "spec":{"terminationGracePeriodSeconds":1,
               "securityContext":{"runAsUser":999,"runAsGroup":999,"fsGroup":999{{{policyField}}}},
               "volumes":[{"name":"data","persistentVolumeClaim":{"claimName":"own-data"}}],
               "containers":[{"name":"c","image":"postgres:17","command":["sleep","600"],"volumeMounts":[{"name":"data","mountPath":"/data"}]}]}}
            """);
        await env.WaitForPodAsync("owner", NodeEnvironment.IsReady);
        var stdout = new MemoryStream();
        var stderr = new MemoryStream();
        var code = await env.Agent.ExecAsync(new ExecRequest("default", "owner", "c", ["sh", "-c", script], null, stdout, stderr, false), CancellationToken.None);
        Assert.True(code == 0, $"exit {code}: {Encoding.UTF8.GetString(stderr.ToArray())}");
        Assert.Equal(expected, Encoding.UTF8.GetString(stdout.ToArray()));

        var pod = env.Pod("owner")!;
        pod["metadata"]!["deletionTimestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ");
        env.Store.Replace(ResourceType.Pods, "default", pod);
        await NodeEnvironment.WaitUntilAsync(() => env.Pod("owner") is null, "pod removal");
    }

    // <tmp>/<x>/vol with d (0700) holding f (0600), and a symlink to the parent.
    private static string Tree()
    {
        var root = Path.Combine(Path.GetTempPath(), "pgr-own-" + Guid.NewGuid().ToString("N")[..8], "vol");
        Directory.CreateDirectory(Path.Combine(root, "d"));
        FileModes.Set(Path.Combine(root, "d"), Mode700);
        File.WriteAllText(Path.Combine(root, "d", "f"), "x");
        FileModes.Set(Path.Combine(root, "d", "f"), Mode600);
        File.CreateSymbolicLink(Path.Combine(root, "link"), Path.GetDirectoryName(root)!);
        return root;
    }
}
