namespace Koppel.Formats.Coda;

/// <summary>What the header (record 0) says about the logical file that follows.</summary>
internal sealed record CodaHeader(
    int Line,
    int Version,
    DateOnly? CreationDate,
    string BankId,
    string? Bic,
    bool IsDuplicate,
    string? FileReference,
    string? AddresseeName,
    string? CompanyNumber)
{
    public static CodaHeader Read(CodaRecord record, int version) => new(
        record.LineNumber,
        version,
        record.Date(6, "Creation date"),
        record.Raw(12, 3),
        ZeroFilledAsNull(record.Text(61, 11)),
        record[17] == 'D',

        // Version 1 has a numeric reference over positions 18–34 instead of blanks and a file reference.
        ZeroFilledAsNull(version == 1 ? record.Text(18, 17) : record.Text(25, 10)),
        record.Text(35, 26),
        CompanyNumberOf(record));

    // Positions 72–82: "0" followed by the 10-digit KBO/BCE number of the account holder.
    private static string? CompanyNumberOf(CodaRecord record)
    {
        var field = record.Span(72, 11).Trim();
        if (field.Length == 11 && field[0] == '0')
        {
            field = field[1..];
        }

        return ZeroFilledAsNull(field.IsEmpty ? null : field.ToString());
    }

    // Version 1 and many banks zero-fill the fields they do not use.
    private static string? ZeroFilledAsNull(string? value) =>
        value is null || !value.AsSpan().ContainsAnyExcept('0') ? null : value;
}
