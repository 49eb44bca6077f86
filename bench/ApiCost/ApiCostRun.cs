using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using PgReplica.Entities.V1Alpha1;
using PgReplica.Operator.Cli;
using PgReplica.Sandbox;

namespace PgReplica.Bench.ApiCost;

/// <summary>
/// The sandbox in this process, the operator as its own process (`pgreplica run`) behind a counting proxy, N clusters
/// of 2 standbys: counts API requests a minute by verb while idle and while pgbench writes on every primary.
/// </summary>
public static class ApiCostRun
{
    private const string Ns = "default";

    public static async Task<int> RunAsync(int clusters, int seconds, bool keep, TextWriter output, CancellationToken ct)
    {
        var root = Path.Combine(Path.GetTempPath(), $"pgr-apicost-{Guid.NewGuid():N}"[..20]);
        Directory.CreateDirectory(root);
        using var logging = LogSetup.Create("text", LogLevel.Warning);
        Process? op = null;
        var load = new List<Process>();
        SandboxHost? host = null;
        CountingProxy? proxy = null;
        try
        {
            host = await SandboxHost.StartAsync(
                new SandboxOptions { Directory = root, Reset = true, Components = SandboxComponents.NodeAndNetwork(root, logging) }, ct);
            host.InstallCrd(PostgresReplicaSetCrd.Json());
            var upstream = host.CreateApiHttpClient();
            upstream.Timeout = Timeout.InfiniteTimeSpan;
            proxy = await CountingProxy.StartAsync(host.ApiServerUrl, upstream);
            var proxyConfig = Path.Combine(root, "proxy.kubeconfig");
            // The proxy is plain HTTP on 127.0.0.1 and authenticates upstream itself: no credentials here.
            File.WriteAllText(proxyConfig, ProxyKubeconfig(proxy.Url));
            op = StartOperator(proxyConfig);

            var yaml = string.Join("\n---\n", Enumerable.Range(1, clusters).Select(i => ResourceYaml($"c{i}")));
            SandboxManifests.Apply(host, yaml);
            await WaitReadyAsync(host.KubeconfigPath, clusters, ct);
            await Task.Delay(TimeSpan.FromSeconds(15), ct);

            var idle = await MeasureAsync(proxy, op, seconds, ct);
            output.WriteLine($"clusters: {clusters} (2 standbys each), window: {seconds} s, figures per minute");
            output.WriteLine("| state | lists | gets | watches | writes | status writes | operator RSS (MiB) |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|");
            output.WriteLine(Row("idle", idle, seconds));

            foreach (var i in Enumerable.Range(1, clusters))
            {
                load.Add(await StartPgbenchAsync(host.KubeconfigPath, $"c{i}", seconds + 30, ct));
            }

            await Task.Delay(TimeSpan.FromSeconds(5), ct);
            var busy = await MeasureAsync(proxy, op, seconds, ct);

            output.WriteLine(Row("pgbench on every primary", busy, seconds));
            return 0;
        }
        finally
        {
            foreach (var p in load) Stop(p);
            if (op is not null) Stop(op);
            if (proxy is not null) await proxy.DisposeAsync();
            if (host is not null) await host.DisposeAsync();
            if (!keep)
            {
                try
                {
                    Directory.Delete(root, recursive: true);
                }
                catch (IOException)
                {
                    // A volume still detaching: leave the directory for the next reboot.
                }
            }
        }
    }

    private static string Row(string state, ((long Lists, long Gets, long Watches, long Writes, long StatusWrites) Counts, double RssMiB) m, int seconds)
    {
        string PerMinute(long n) => (n * 60.0 / seconds).ToString("0.#", CultureInfo.InvariantCulture);
        return $"| {state} | {PerMinute(m.Counts.Lists)} | {PerMinute(m.Counts.Gets)} | {PerMinute(m.Counts.Watches)} | {PerMinute(m.Counts.Writes)} | "
            + $"{PerMinute(m.Counts.StatusWrites)} | {m.RssMiB.ToString("0", CultureInfo.InvariantCulture)} |";
    }

    private static async Task<((long, long, long, long, long) Counts, double RssMiB)> MeasureAsync(CountingProxy proxy, Process op, int seconds, CancellationToken ct)
    {
        proxy.Reset();
        await Task.Delay(TimeSpan.FromSeconds(seconds), ct);
        return (proxy.Counts.Snapshot(), RssMiB(op.Id));
    }

    private static double RssMiB(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    private static Process StartOperator(string kubeconfig)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "pgreplica.dll");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { dll, "run", "--kubeconfig", kubeconfig, "--leader-elect", "false", "--metrics-address", "127.0.0.1:0", "--log-level", "Warning" })
        {
            psi.ArgumentList.Add(a);
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task WaitReadyAsync(string kubeconfig, int clusters, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow.AddMinutes(15);
        while (DateTime.UtcNow < deadline)
        {
            var phases = await KubectlAsync(kubeconfig, ct, "get", "pgrs", "-n", Ns, "-o", "jsonpath={range .items[*]}{.status.phase}{\"\\n\"}{end}");
            if (phases.Split('\n').Count(p => p == "Ready") >= clusters) return;
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
        }

        throw new TimeoutException($"not all {clusters} clusters became Ready");
    }

    private static async Task<Process> StartPgbenchAsync(string kubeconfig, string cluster, int seconds, CancellationToken ct)
    {
        var ip = await KubectlAsync(kubeconfig, ct, "get", "pod", $"{cluster}-1", "-n", Ns, "-o", "jsonpath={.status.podIP}");
        var encoded = await KubectlAsync(kubeconfig, ct, "get", "secret", $"{cluster}-replication", "-n", Ns, "-o", "jsonpath={.data.superuser-password}");
        var password = Encoding.UTF8.GetString(Convert.FromBase64String(encoded.Trim()));
        var pgbench = Directory.GetDirectories("/usr/lib/postgresql").OrderByDescending(d => int.Parse(Path.GetFileName(d), CultureInfo.InvariantCulture))
            .Select(d => Path.Combine(d, "bin", "pgbench")).First(File.Exists);
        ProcessStartInfo Psi(params string[] args)
        {
            var psi = new ProcessStartInfo(pgbench) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var a in args) psi.ArgumentList.Add(a);
            psi.Environment["PGHOST"] = ip.Trim();
            psi.Environment["PGUSER"] = "postgres";
            psi.Environment["PGPASSWORD"] = password;
            psi.Environment["PGSSLMODE"] = "prefer";
            psi.Environment["PGDATABASE"] = "postgres";
            return psi;
        }

        using (var init = Process.Start(Psi("-i", "-s", "1", "-q"))!)
        {
            _ = init.StandardOutput.ReadToEndAsync(ct);
            var err = init.StandardError.ReadToEndAsync(ct);
            await init.WaitForExitAsync(ct);
            if (init.ExitCode != 0) throw new InvalidOperationException($"pgbench -i on {cluster}: {await err}");
        }

        var run = Process.Start(Psi("-c", "1", "-T", seconds.ToString(CultureInfo.InvariantCulture)))!;
        run.OutputDataReceived += (_, _) => { };
        run.ErrorDataReceived += (_, _) => { };
        run.BeginOutputReadLine();
        run.BeginErrorReadLine();
        return run;
    }

    private static async Task<string> KubectlAsync(string kubeconfig, CancellationToken ct, params string[] args)
    {
        var psi = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("--kubeconfig");
        psi.ArgumentList.Add(kubeconfig);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        _ = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct);
        return await stdout;
    }

    private static void Stop(Process p)
    {
        try
        {
            if (!p.HasExited)
            {
                p.Kill(entireProcessTree: true);
                p.WaitForExit(10_000);
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        p.Dispose();
    }

    private static string ProxyKubeconfig(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - name: proxy
          cluster:
            server: {server.GetLeftPart(UriPartial.Authority)}
        users:
        - name: proxy
          user: {"{}"}
        contexts:
        - name: proxy
          context:
            cluster: proxy
            user: proxy
            namespace: {Ns}
        current-context: proxy
        """;

    private static string ResourceYaml(string name) => $"""
        apiVersion: pgreplica.io/v1alpha1
        kind: PostgresReplicaSet
        metadata:
          name: {name}
          namespace: {Ns}
        spec:
          replicas: 2
          image: postgres:15
          storage:
            size: 1Gi
          postgresql:
            parameters:
              shared_buffers: "16MB"
              max_connections: "30"
        """;
}
