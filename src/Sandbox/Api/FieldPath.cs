namespace PgReplica.Sandbox.Api;

/// <summary>Field paths spelled as apimachinery's field.Path prints them: <c>spec.parameters[wal_level]</c>, <c>items[0]</c>.</summary>
public static class FieldPath
{
    /// <summary>How the API server prints the path of the object itself (a nil field.Path).</summary>
    public const string Root = "<nil>";

    /// <summary>A named child ("" is the object itself).</summary>
    public static string Child(string parent, string name) => parent.Length == 0 ? name : $"{parent}.{name}";

    /// <summary>A map key, unquoted.</summary>
    public static string Key(string parent, string key) => $"{parent}[{key}]";

    /// <summary>A list index.</summary>
    public static string Index(string parent, int index) => $"{parent}[{index}]";

    /// <summary>The path as an error prints it.</summary>
    public static string Show(string path) => path.Length == 0 ? Root : path;
}
