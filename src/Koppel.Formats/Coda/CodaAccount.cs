namespace Koppel.Formats.Coda;

/// <summary>The account and currency of records 1 and 8 (a 37-character field whose layout depends on the account structure).</summary>
internal sealed record CodaAccount(CodaAccountStructure Structure, string Number, string Currency)
{
    private const int FieldLength = 37;

    public static CodaAccountStructure StructureOf(CodaRecord record, int version)
    {
        // Version 1 has no structure code: the account is always a Belgian BBAN.
        if (version == 1)
        {
            return CodaAccountStructure.BelgianBban;
        }

        var code = record[2];
        if (code is >= '0' and <= '3')
        {
            return (CodaAccountStructure)(code - '0');
        }

        record.Warn(CodaRules.Numeric, $"Account structure '{code}' is not 0, 1, 2 or 3; read as a Belgian BBAN.", 2);
        return CodaAccountStructure.BelgianBban;
    }

    public static CodaAccount Read(CodaRecord record, int position, CodaAccountStructure structure)
    {
        var field = record.Span(position, FieldLength);
        switch (structure)
        {
            case CodaAccountStructure.BelgianBban:
                var bban = field[..12];
                if (bban.ContainsAnyExceptInRange('0', '9'))
                {
                    // Anonymised files mask the account (732XXXXXXXXX); keep it as it stands.
                    record.Warn(CodaRules.Numeric, $"Account number '{bban}' is not 12 digits.", position);
                }

                return new CodaAccount(structure, bban.ToString(), field.Slice(13, 3).Trim().ToString());
            case CodaAccountStructure.BelgianIban:
                return new CodaAccount(structure, WithoutSpaces(field[..31]), field.Slice(34, 3).Trim().ToString());
            default:
                return new CodaAccount(structure, WithoutSpaces(field[..34]), field.Slice(34, 3).Trim().ToString());
        }
    }

    /// <summary>
    /// The counterparty account of record 2.3 (positions 11–47): an IBAN padded to 34 characters plus
    /// currency, or a 12-digit BBAN, blank and currency. Only the account number itself is kept.
    /// </summary>
    public static string? Counterparty(ReadOnlySpan<char> field)
    {
        var trimmed = field.TrimStart();
        var end = trimmed.IndexOf(' ');
        var number = end < 0 ? trimmed : trimmed[..end];
        return number.IsEmpty || number.ContainsAnyExcept('0') is false ? null : number.ToString();
    }

    private static string WithoutSpaces(ReadOnlySpan<char> text) => text.ToString().Replace(" ", string.Empty, StringComparison.Ordinal);
}
