using Koppel.Formats.Findings;

namespace Koppel.Formats.Coda;

/// <summary>
/// Turns the lines of a physical file into statements, one logical file (record 0 to record 9) at a time.
/// A finished statement is handed out only when the next header or the end of the file arrives, so
/// the multiple-file code of its trailer can be checked against what actually follows.
/// </summary>
internal sealed class CodaStatementAssembler(Action<CodaMovement>? onMovement = null)
{
    private readonly Action<CodaMovement>? _onMovement = onMovement;
    private readonly FindingSink _findings = new();
    private readonly CodaValueCaches _caches = new();
    private CodaStatementBuilder? _open;
    private CodaStatementBuilder? _finished;
    private int? _firstEmptyLine;
    private int _emptyLines;

    /// <summary>
    /// Feeds one line (the first <paramref name="length"/> characters of <paramref name="line"/>, a buffer that may be
    /// padded and is reused afterwards); returns the previous statement when this line starts the next one.
    /// </summary>
    public CodaStatement? Accept(char[] line, int length, int lineNumber)
    {
        if (line.AsSpan(0, length).IsWhiteSpace())
        {
            // Empty (or blank) lines at the very end are common and harmless; only those in between are reported.
            _firstEmptyLine ??= lineNumber;
            _emptyLines++;
            return null;
        }

        var record = new CodaRecord(line, length, lineNumber, _findings);
        var completed = record[1] == '0' ? StartStatement(record) : null;
        ReportEmptyLines();
        CheckLength(record);

        if (record[1] == '0')
        {
            return completed;
        }

        if (_open is null)
        {
            if (_finished is null)
            {
                throw new DocumentReadException(CodaRules.Header, "The file does not start with a CODA header record (record 0).", lineNumber, 1);
            }

            record.Warn(CodaRules.RecordOrder, "Record after the trailer (record 9) without a new header (record 0); skipped.", 1);
            return null;
        }

        _open.Accept(record);
        if (_open.HasTrailer)
        {
            _finished = _open;
            _open = null;
        }

        return null;
    }

    /// <summary>Called at the end of the stream; returns the last statement.</summary>
    public CodaStatement? Finish(int lastLine)
    {
        if (_open is not null)
        {
            _findings.Warn(CodaRules.Truncated, "The file ends before the trailer (record 9) of this statement.", lastLine + 1, 1);
            var truncated = _open.Build(_findings.Take());
            _open = null;
            return truncated;
        }

        if (_finished is null)
        {
            throw new DocumentReadException(CodaRules.Header, "The file is empty: there is no CODA header record (record 0).", 1, 1);
        }

        if (_finished.MultipleFileCode == '1')
        {
            _findings.Warn(CodaRules.MultipleFile, "The trailer says another logical file follows, but the file ends here.", _finished.TrailerLine!.Value, 128);
        }

        var last = _finished.Build(_findings.Take());
        _finished = null;
        return last;
    }

    private CodaStatement? StartStatement(CodaRecord header)
    {
        var version = header[128] switch
        {
            '1' => 1,
            '2' => 2,
            var code => throw new DocumentReadException(
                CodaRules.Version,
                $"Unsupported CODA version code '{code}'; only versions 1 and 2 are supported.",
                header.LineNumber,
                128),
        };

        CodaStatement? completed = null;
        if (_open is not null)
        {
            _findings.Warn(CodaRules.Truncated, "A new header (record 0) starts before the trailer (record 9) of this statement.", header.LineNumber, 1);
            completed = _open.Build(_findings.Take());
        }
        else if (_finished is not null)
        {
            if (_finished.MultipleFileCode == '2')
            {
                _findings.Warn(CodaRules.MultipleFile, "The trailer says this is the last logical file, but another one follows.", _finished.TrailerLine!.Value, 128);
            }

            completed = _finished.Build(_findings.Take());
        }

        _finished = null;
        _open = new CodaStatementBuilder(CodaHeader.Read(header, version), _caches, _onMovement);
        return completed;
    }

    private void ReportEmptyLines()
    {
        if (_firstEmptyLine is { } line)
        {
            _findings.Warn(CodaRules.LineLength, $"{_emptyLines} empty line(s) inside the file.", line, 1);
            _firstEmptyLine = null;
            _emptyLines = 0;
        }
    }

    private static void CheckLength(CodaRecord record)
    {
        if (record.TextLength != CodaRecord.Length)
        {
            record.Warn(
                CodaRules.LineLength,
                $"Record has {record.TextLength} characters instead of {CodaRecord.Length}.",
                Math.Min(record.TextLength, CodaRecord.Length) + 1);
        }
    }
}
