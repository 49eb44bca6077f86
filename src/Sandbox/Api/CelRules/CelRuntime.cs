using Cel;
using PgReplica.Entities.Schema;

namespace PgReplica.Sandbox.Api.CelRules;

/// <summary>The one CEL environment every rule runs in: the Cel package's standard library, with <c>matches</c> in RE2's meaning.</summary>
internal static class CelRuntime
{
    private static readonly Lazy<CelEnvironment> Shared = new(Create);

    /// <summary>
    /// Global and member functions the Cel 0.3.3 package defines (its CelFunctions and CelMacros), so that a rule calling
    /// anything else is refused when its CRD is written rather than failing on every object.
    /// </summary>
    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal)
    {
        "has", "size", "int", "uint", "double", "string", "bytes", "bool", "dyn", "type", "duration", "timestamp",
        "matches", "contains", "startsWith", "endsWith", "getDate", "getDayOfMonth", "getDayOfWeek", "getDayOfYear",
        "getFullYear", "getHours", "getMilliseconds", "getMinutes", "getMonth", "getSeconds",
    };

    /// <summary>Macros: a receiver, a variable bound to each element, then expressions over it.</summary>
    public static readonly IReadOnlySet<string> Macros = new HashSet<string>(StringComparer.Ordinal) { "all", "exists", "exists_one", "map", "filter" };

    /// <summary>The environment (thread-safe: compiled programs keep no state between calls).</summary>
    public static CelEnvironment Environment => Shared.Value;

    private static CelEnvironment Create()
    {
        var environment = new CelEnvironment(null, null);
        // The package's matches() uses .NET's Regex, where '$' also matches before a final newline; CEL means RE2.
        // A function registered later takes precedence over the package's own.
        environment.RegisterFunction("matches", [typeof(string), typeof(string)],
            args => Re2Pattern.IsMatch((string)args[1]!, (string)args[0]!));
        return environment;
    }
}
