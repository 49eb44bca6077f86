using k8s;
using System.CommandLine;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using PgReplica.Kube.Client;
using PgReplica.Sandbox;

namespace PgReplica.Operator.Cli;

/// <summary>
/// <c>pgreplica sandbox fault …</c>: faults on demand against a running sandbox's pods, through the sandbox API
/// server's <see cref="SandboxFaultApi.Path"/> (server and bearer token from &lt;dir&gt;/kubeconfig).
/// </summary>
public static class SandboxFaultCommand
{
    /// <summary>Builds the subcommand with its actions.</summary>
    public static Command Build()
    {
        var cmd = new Command("fault", "Inject or end faults in a running sandbox: partition, heal, freeze, thaw, kill, list.");
        cmd.Add(Action("partition", "Cut a pod off from the operator (everything outside the cluster; node probes still pass), or from another pod.",
            pod: true, container: false, from: true));
        cmd.Add(Action("heal", "End the partitions of a pod (of every pod when none is named).", pod: false, container: false, from: false, podOptional: true));
        cmd.Add(Action("freeze", "Freeze every process of a pod's container (as docker pause; its liveness probe may then restart it).", pod: true, container: true, from: false));
        cmd.Add(Action("thaw", "Thaw a frozen container.", pod: true, container: true, from: false));
        cmd.Add(Action("kill", "SIGKILL a container's main process; the pod's restart policy applies.", pod: true, container: true, from: false));
        cmd.Add(Action("list", "List the faults in force.", pod: false, container: false, from: false));
        return cmd;
    }

    private static Command Action(string name, string description, bool pod, bool container, bool from, bool podOptional = false)
    {
        var cmd = new Command(name, description);
        var dir = new Option<string>("--dir") { Description = "The sandbox's directory (its kubeconfig names the server).", DefaultValueFactory = _ => ".sandbox" };
        var ns = new Option<string>("--namespace", "-n") { Description = "The pod's namespace.", DefaultValueFactory = _ => "default" };
        var podArgument = new Argument<string?>("pod") { Description = "The pod.", Arity = pod ? ArgumentArity.ExactlyOne : ArgumentArity.ZeroOrOne };
        var containerOption = new Option<string?>("--container", "-c") { Description = "The container (default: the pod's default container)." };
        var fromOption = new Option<string>("--from") { Description = "operator, or the name of another pod of the namespace.", DefaultValueFactory = _ => "operator" };
        cmd.Add(dir);
        if (pod || podOptional)
        {
            cmd.Add(podArgument);
            cmd.Add(ns);
        }

        if (container)
        {
            cmd.Add(containerOption);
        }

        if (from)
        {
            cmd.Add(fromOption);
        }

        cmd.SetAction(async (parse, ct) =>
        {
            var body = name == "list" ? null : new JsonObject
            {
                ["action"] = name,
                ["namespace"] = pod || podOptional ? parse.GetValue(ns) : null,
                ["pod"] = pod || podOptional ? parse.GetValue(podArgument) : null,
                ["container"] = container ? parse.GetValue(containerOption) : null,
                ["peer"] = from ? parse.GetValue(fromOption) : null,
            };
            try
            {
                var faults = await SendAsync(Path.Combine(parse.GetValue(dir)!, "kubeconfig"), body, ct);
                Console.Out.Write(Table(faults));
                return 0;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Console.Error.WriteLine($"pgreplica sandbox fault {name}: {e.Message}");
                return 1;
            }
        });
        return cmd;
    }

    /// <summary>Sends the request (GET when body is null), returns the faults in force; throws with the server's message.</summary>
    public static async Task<JsonArray> SendAsync(string kubeconfig, JsonObject? body, CancellationToken ct)
    {
        if (!File.Exists(kubeconfig))
        {
            throw new FileNotFoundException($"{kubeconfig} does not exist: is a sandbox running with that --dir?");
        }

        var config = ClientConfig.Load(kubeconfig);
        // The package's HTTP client: the kubeconfig's CA as trust, its client certificate if any.
        using var kube = new Kubernetes(config);
        using var request = new HttpRequestMessage(body is null ? HttpMethod.Get : HttpMethod.Post, new Uri(new Uri(config.Host), SandboxFaultApi.Path))
        {
            Content = body is null ? null : new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (!string.IsNullOrEmpty(config.AccessToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", config.AccessToken);
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await kube.HttpClient.SendAsync(request, timeout.Token);
        var text = await response.Content.ReadAsStringAsync(ct);
        var json = JsonNode.Parse(text.Length == 0 ? "{}" : text) as JsonObject;
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException(json?["message"]?.ToString() ?? $"{(int)response.StatusCode} {response.ReasonPhrase}");
        }

        return json?["faults"] as JsonArray ?? new JsonArray();
    }

    /// <summary>The faults as a small table, or a line saying there are none.</summary>
    public static string Table(JsonArray faults)
    {
        if (faults.Count == 0)
        {
            return "no faults in force\n";
        }

        var sb = new StringBuilder();
        sb.Append("KIND        NAMESPACE   POD                    FROM/CONTAINER\n");
        foreach (var f in faults.OfType<JsonObject>())
        {
            sb.Append($"{f["kind"],-11} {f["namespace"],-11} {f["pod"],-22} {f["peer"] ?? f["container"]}\n");
        }

        return sb.ToString();
    }
}
