using System.Globalization;

namespace PgReplica.Operator.Postgres;

/// <summary>A PostgreSQL write-ahead-log position (pg_lsn), written as two hex halves <c>X/X</c>.</summary>
public readonly record struct Lsn(ulong Value) : IComparable<Lsn>
{
    /// <summary>The invalid position 0/0.</summary>
    public static readonly Lsn Zero = new(0);

    /// <summary>Parses PostgreSQL's text form, e.g. <c>16/B374D848</c>.</summary>
    public static Lsn Parse(string text) =>
        TryParse(text, out var lsn) ? lsn : throw new FormatException($"not an LSN: '{text}'");

    /// <summary>Parses PostgreSQL's text form; false on anything else.</summary>
    public static bool TryParse(string? text, out Lsn lsn)
    {
        lsn = Zero;
        if (string.IsNullOrEmpty(text)) return false;
        var slash = text.IndexOf('/');
        if (slash <= 0 || slash > 8 || text.Length - slash - 1 is < 1 or > 8) return false;
        if (!uint.TryParse(text.AsSpan(0, slash), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var high)) return false;
        if (!uint.TryParse(text.AsSpan(slash + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var low)) return false;
        lsn = new Lsn(((ulong)high << 32) | low);
        return true;
    }

    /// <summary>Bytes from <paramref name="older"/> to this position (negative when older is ahead), like pg_wal_lsn_diff.</summary>
    public long BytesSince(Lsn older) => unchecked((long)(Value - older.Value));

    /// <inheritdoc />
    public int CompareTo(Lsn other) => Value.CompareTo(other.Value);

    /// <summary>True when a is before b.</summary>
    public static bool operator <(Lsn a, Lsn b) => a.Value < b.Value;

    /// <summary>True when a is after b.</summary>
    public static bool operator >(Lsn a, Lsn b) => a.Value > b.Value;

    /// <summary>True when a is at or before b.</summary>
    public static bool operator <=(Lsn a, Lsn b) => a.Value <= b.Value;

    /// <summary>True when a is at or after b.</summary>
    public static bool operator >=(Lsn a, Lsn b) => a.Value >= b.Value;

    /// <summary>PostgreSQL's text form: upper-case hex halves without padding.</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Value >> 32:X}/{Value & 0xFFFFFFFF:X}");
}
