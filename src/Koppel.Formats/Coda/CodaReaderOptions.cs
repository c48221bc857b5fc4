using System.Text;

namespace Koppel.Formats.Coda;

public sealed record CodaReaderOptions
{
    public static CodaReaderOptions Default { get; } = new();

    /// <summary>
    /// Forces the character set. When null the reader decides on the first line with non-ASCII bytes:
    /// valid UTF-8 means UTF-8, anything else Windows-1252 (what Belgian banks send).
    /// </summary>
    public Encoding? Encoding { get; init; }

    /// <summary>
    /// A line longer than this (in bytes) stops reading with a DocumentReadException: a CODA record has 128
    /// characters, so such a line means the input is not CODA and must not be buffered without limit.
    /// </summary>
    public int MaxLineBytes { get; init; } = 4096;
}
