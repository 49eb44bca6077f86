using System.Text;

namespace PgReplica.Sandbox;

/// <summary>Writes files that hold credentials: mode 0600 from the first byte, UTF-8 without a BOM, replaced atomically.</summary>
public static class PrivateFile
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/>, readable by the owner only.</summary>
    public static void Write(string path, string text)
    {
        var temporary = path + ".new";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(temporary, options))
        {
            stream.Write(new UTF8Encoding(false).GetBytes(text));
        }

        if (!OperatingSystem.IsWindows())
        {
            // A file left by an older run may have had a wider mode; UnixCreateMode only applies to new files.
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        File.Move(temporary, path, overwrite: true);
    }
}
