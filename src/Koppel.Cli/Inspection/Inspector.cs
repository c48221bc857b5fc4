namespace Koppel.Cli.Inspection;

/// <summary>
/// Inspects one file and writes what it learned to <paramref name="output"/>: a summary for a person, or one JSON line.
/// Nothing is written when the file cannot be read (the reader's exception propagates before any output).
/// </summary>
internal delegate void Inspector(string file, Stream content, bool json, Stream output);
