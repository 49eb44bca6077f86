using System.Diagnostics;
using System.Text.Json.Nodes;
using PgReplica.Sandbox;

namespace PgReplica.Operator.Tests.Manifests.LeaderElection;

/// <summary>
/// Two <c>pgreplica run</c> processes against the sandbox's API server, as the Deployment's two replicas:
/// only the Lease holder reconciles, and when it dies without a word the other takes the Lease over and reconciles.
/// </summary>
public sealed class LeaderElectionTests : IAsyncLifetime
{
    private const string LeaseName = "pgreplica-operator";
    private readonly string _directory = Directory.CreateTempSubdirectory("pgreplica-election-").FullName;
    private SandboxHost _sandbox = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _sandbox = await SandboxHost.StartAsync(new SandboxOptions { Directory = _directory, Port = 0, Reset = true });
        var crd = YamlDocuments.ParseFile(RepositoryRoot.Combine("config", "crds", "pgreplica.io_postgresreplicasets.yaml"));
        _sandbox.InstallCrd(crd.AsObject());
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task OnlyTheLeaseHolderReconcilesAndTheOtherTakesOverWhenItDies()
    {
        string[] options = ["--leader-election-namespace", "default", "--log-format", "json"];
        await using var first = OperatorProcess.Start("operator-a", _sandbox.KubeconfigPath, options);
        await using var second = OperatorProcess.Start("operator-b", _sandbox.KubeconfigPath, options);
        var apply = await Kubectl("apply", "-f", RepositoryRoot.Combine("config", "samples", "pgreplica_v1alpha1_postgresreplicaset.yaml"));
        Assert.True(apply.ExitCode == 0, apply.Output);

        // One of them takes the Lease and reconciles (again and again: the primary never starts without a node).
        var leader = await Eventually(async () =>
            (await first.ReconcilesAsync() ?? 0) >= 2 ? first : (await second.ReconcilesAsync() ?? 0) >= 2 ? second : null,
            "neither operator reconciled", first, second);
        var follower = leader == first ? second : first;
        Assert.Equal(0, await follower.ReconcilesAsync() ?? 0);
        var held = await ReadLeaseAsync();
        var holder = held["spec"]!["holderIdentity"]!.GetValue<string>();
        var transitions = held["spec"]!["leaseTransitions"]?.GetValue<int>() ?? 0;
        var duration = TimeSpan.FromSeconds(held["spec"]!["leaseDurationSeconds"]!.GetValue<int>());

        // The leader dies without releasing the Lease; the follower waits out the lease and takes over.
        var clock = Stopwatch.StartNew();
        await leader.KillAsync();
        await Eventually(async () => (await follower.ReconcilesAsync() ?? 0) > 0 ? follower : null,
            $"the follower did not take over (lease duration {duration})", first, second, timeout: duration * 4 + TimeSpan.FromSeconds(30));
        var handover = clock.Elapsed;
        var taken = await ReadLeaseAsync();

        Assert.NotEqual(holder, taken["spec"]!["holderIdentity"]!.GetValue<string>());
        Assert.Equal(transitions + 1, taken["spec"]!["leaseTransitions"]!.GetValue<int>());
        Assert.False(follower.HasExited, follower.Output);
        Console.WriteLine($"leader election: handover took {handover.TotalSeconds:F1} s with a {duration.TotalSeconds} s lease");
    }

    private async Task<JsonNode> ReadLeaseAsync()
    {
        var result = await Kubectl("get", "lease", LeaseName, "-n", "default", "-o", "json");
        Assert.True(result.ExitCode == 0, result.Output);
        return JsonNode.Parse(result.Stdout)!;
    }

    private Task<CommandResult> Kubectl(params string[] args) => ExternalCommand.RunAsync("kubectl",
        ["--kubeconfig", _sandbox.KubeconfigPath, "--cache-dir", Path.Combine(_directory, "kubectl-cache"), .. args]);

    /// <summary>Polls <paramref name="probe"/> until it yields a value, failing with both processes' logs after the timeout.</summary>
    private static async Task<T> Eventually<T>(Func<Task<T?>> probe, string failure, OperatorProcess a, OperatorProcess b, TimeSpan? timeout = null)
        where T : class
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(90));
        while (DateTime.UtcNow < deadline)
        {
            if (await probe() is { } value)
            {
                return value;
            }
            await Task.Delay(250);
        }
        throw new Xunit.Sdk.XunitException($"{failure}\n--- {a.Name}\n{a.Output}\n--- {b.Name}\n{b.Output}");
    }
}
