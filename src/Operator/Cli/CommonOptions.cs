using System.CommandLine;
using Microsoft.Extensions.Logging;

namespace PgReplica.Operator.Cli;

/// <summary>Options several subcommands share.</summary>
public static class CommonOptions
{
    /// <summary>--kubeconfig: path of a kubeconfig; default KUBECONFIG, ~/.kube/config, then in-cluster.</summary>
    public static Option<string?> Kubeconfig() => new("--kubeconfig") { Description = "Path of a kubeconfig file (default: $KUBECONFIG, ~/.kube/config, then in-cluster config)." };

    /// <summary>--log-format text|json.</summary>
    public static Option<string> LogFormat()
    {
        var o = new Option<string>("--log-format") { Description = "Log format: text or json.", DefaultValueFactory = _ => "text" };
        o.AcceptOnlyFromAmong(LogSetup.Formats);
        return o;
    }

    /// <summary>--log-level.</summary>
    public static Option<LogLevel> LogLevelOption() => new("--log-level") { Description = "Minimum log level.", DefaultValueFactory = _ => LogLevel.Information };
}
