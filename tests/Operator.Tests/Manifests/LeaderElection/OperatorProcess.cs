using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace PgReplica.Operator.Tests.Manifests.LeaderElection;

/// <summary>A real <c>pgreplica run</c> process (the test's build of the operator) with its own metrics port.</summary>
internal sealed class OperatorProcess : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private OperatorProcess(Process process, int metricsPort, string name)
    {
        _process = process;
        MetricsPort = metricsPort;
        Name = name;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    /// <summary>A label for messages.</summary>
    public string Name { get; }

    /// <summary>Port of its /metrics on 127.0.0.1.</summary>
    public int MetricsPort { get; }

    /// <summary>Whether the process has ended.</summary>
    public bool HasExited => _process.HasExited;

    /// <summary>What it has logged so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Starts <c>pgreplica run</c> with the given extra options and leader election on.</summary>
    public static OperatorProcess Start(string name, string kubeconfig, IEnumerable<string> options)
    {
        var port = FreePort();
        var start = new ProcessStartInfo(Path.Combine(AppContext.BaseDirectory, "pgreplica"))
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])["run", "--kubeconfig", kubeconfig, "--leader-elect", "--metrics-address", $"127.0.0.1:{port}", .. options])
        {
            start.ArgumentList.Add(argument);
        }
        start.Environment["POD_NAME"] = name;
        return new OperatorProcess(Process.Start(start)!, port, name);
    }

    /// <summary>The sum of <c>pgreplica_reconcile_total</c> over results, or null while /metrics does not answer.</summary>
    public async Task<double?> ReconcilesAsync()
    {
        try
        {
            var text = await Http.GetStringAsync(new Uri($"http://127.0.0.1:{MetricsPort}/metrics"));
            return text.Split('\n')
                .Where(line => line.StartsWith("pgreplica_reconcile_total", StringComparison.Ordinal))
                .Sum(line => double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException)
        {
            return null;
        }
    }

    /// <summary>Ends the process at once, as a node failure would (no chance to release the Lease).</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
