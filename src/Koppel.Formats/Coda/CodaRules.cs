namespace Koppel.Formats.Coda;

/// <summary>Stable codes of the findings and read errors the CODA reader raises.</summary>
public static class CodaRules
{
    /// <summary>Read error: the header's version code (position 128) is not 1 or 2.</summary>
    public const string Version = "CODA-VERSION";

    /// <summary>Read error: the file does not start with a CODA header record.</summary>
    public const string Header = "CODA-HEADER";

    /// <summary>Read error: a line is far too long to be a CODA record (the file is not CODA, or has no line breaks).</summary>
    public const string LineTooLong = "CODA-LINE-TOO-LONG";

    public const string TrailerCount = "CODA-TRAILER-COUNT";
    public const string TrailerDebit = "CODA-TRAILER-DEBIT";
    public const string TrailerCredit = "CODA-TRAILER-CREDIT";
    public const string Balance = "CODA-BALANCE";
    public const string Account = "CODA-ACCOUNT";
    public const string MultipleFile = "CODA-MULTIFILE";
    public const string LineLength = "CODA-LINE-LENGTH";
    public const string RecordType = "CODA-RECORD-TYPE";
    public const string RecordOrder = "CODA-RECORD-ORDER";
    public const string Numeric = "CODA-NUMERIC";
    public const string Date = "CODA-DATE";
    public const string StructuredCommunication = "CODA-STRUCTURED-COMM";

    /// <summary>The physical file ends before the trailer (record 9) of a logical file.</summary>
    public const string Truncated = "CODA-TRUNCATED";
}
