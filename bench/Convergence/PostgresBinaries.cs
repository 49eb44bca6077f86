namespace PgReplica.Bench.Convergence;

/// <summary>The PostgreSQL bin directory both sides use: the highest /usr/lib/postgresql/*/bin, as the sandbox's node agent picks it.</summary>
public static class PostgresBinaries
{
    /// <summary>Finds the directory, or throws with where it looked.</summary>
    public static string Discover()
    {
        const string root = "/usr/lib/postgresql";
        var candidate = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Major: int.TryParse(Path.GetFileName(d), out var m) ? m : -1))
                .Where(x => x.Major >= 0 && File.Exists(Path.Combine(x.Dir, "postgres")))
                .OrderByDescending(x => x.Major)
                .Select(x => x.Dir)
                .FirstOrDefault()
            : null;
        return candidate ?? throw new InvalidOperationException($"no PostgreSQL binaries under {root}/*/bin");
    }
}
