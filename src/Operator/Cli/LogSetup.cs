using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace PgReplica.Operator.Cli;

/// <summary>Builds the operator's logger factory: plain text for people, JSON lines for log pipelines.</summary>
public static class LogSetup
{
    /// <summary>Accepted values of --log-format.</summary>
    public static readonly string[] Formats = ["text", "json"];

    /// <summary>A console logger factory writing to stderr in the chosen format at the chosen level.</summary>
    public static ILoggerFactory Create(string format, LogLevel level, IReadOnlyDictionary<string, LogLevel>? categories = null) => LoggerFactory.Create(b =>
    {
        b.SetMinimumLevel(level);
        foreach (var (category, categoryLevel) in categories ?? new Dictionary<string, LogLevel>())
        {
            b.AddFilter(category, categoryLevel);
        }

        b.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        b.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        if (format == "json")
        {
            b.AddJsonConsole(o =>
            {
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
                o.UseUtcTimestamp = true;
                o.IncludeScopes = true;
            });
        }
        else
        {
            b.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss ";
                o.UseUtcTimestamp = true;
            });
        }

        b.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });
}
