using Koppel.Formats.Findings;

namespace Koppel.Formats.Coda;

/// <summary>
/// Everything read from one physical CODA file: one statement per logical file
/// (a physical file may concatenate several), and every finding in line order.
/// </summary>
public sealed record CodaFile(int Version, IReadOnlyList<CodaStatement> Statements, IReadOnlyList<Finding> Findings);

/// <summary>
/// One logical CODA file (records 0 to 9): the statement of one account for one day.
/// Findings are the integrity warnings raised while this statement was read.
/// </summary>
public sealed record CodaStatement
{
    public required int Version { get; init; }

    /// <summary>Line of the header record (record 0) in the physical file.</summary>
    public required int Line { get; init; }

    public required DateOnly? CreationDate { get; init; }

    /// <summary>Bank identification (protocol) number from the header, e.g. 725 for KBC; "000" when not given.</summary>
    public required string BankId { get; init; }

    public required string? Bic { get; init; }

    public required bool IsDuplicate { get; init; }

    /// <summary>Reference the bank gave the file (header positions 25–34; 18–34 in version 1), null when blank or zeros.</summary>
    public string? FileReference { get; init; }

    public string? AddresseeName { get; init; }

    /// <summary>Account holder's 10-digit company number (KBO/BCE) from the header, null when zeros.</summary>
    public string? CompanyNumber { get; init; }

    /// <summary>12-digit BBAN (structures 0 and 1) or IBAN without spaces (structures 2 and 3).</summary>
    public required string Account { get; init; }

    public required CodaAccountStructure AccountStructure { get; init; }

    public required string Currency { get; init; }

    public required string? AccountHolderName { get; init; }

    public required string? AccountDescription { get; init; }

    public required int? PaperSequence { get; init; }

    public required int? CodaSequence { get; init; }

    public required decimal OldBalance { get; init; }

    public required DateOnly? OldBalanceDate { get; init; }

    public required decimal NewBalance { get; init; }

    public required DateOnly? NewBalanceDate { get; init; }

    /// <summary>The movements themselves (detail number 0000), each with its globalisation details nested.</summary>
    public required IReadOnlyList<CodaMovement> Movements { get; init; }

    /// <summary>Free communications (record 4) that follow the new balance.</summary>
    public required IReadOnlyList<CodaFreeMessage> FreeMessages { get; init; }

    public required IReadOnlyList<Finding> Findings { get; init; }
}

/// <summary>How the account number of record 1 is laid out (record 1 position 2).</summary>
public enum CodaAccountStructure
{
    BelgianBban = 0,
    ForeignBban = 1,
    BelgianIban = 2,
    ForeignIban = 3,
}

/// <summary>
/// A movement (record 2.1 with its 2.2 and 2.3 continuations and 3.x information records).
/// Top-level movements have detail number 0; their globalisation details sit in <see cref="Details"/>.
/// </summary>
public sealed record CodaMovement
{
    public required int Sequence { get; init; }

    public required int DetailNumber { get; init; }

    public required int Line { get; init; }

    public required string? BankReference { get; init; }

    /// <summary>Signed: credits positive, debits negative.</summary>
    public required decimal Amount { get; init; }

    /// <summary>Null when the bank sent 000000 (unknown).</summary>
    public required DateOnly? ValueDate { get; init; }

    public required DateOnly? EntryDate { get; init; }

    public required CodaTransactionCode TransactionCode { get; init; }

    /// <summary>0 = not globalised; 1–9 opens or closes a globalisation level.</summary>
    public required int GlobalisationCode { get; init; }

    /// <summary>Type of structured communication (e.g. 101 for a Belgian OGM, 127 for SEPA direct debit), null for free text.</summary>
    public required string? StructuredCommunicationType { get; init; }

    /// <summary>For types 101/102 the rendered <c>+++123/4567/89012+++</c>; for other types the raw structured data.</summary>
    public required string? StructuredCommunication { get; init; }

    /// <summary>Free communication: 2.1, 2.2 and 2.3 parts joined, followed by free-text information records.</summary>
    public required string? Communication { get; init; }

    public required string? CounterpartyName { get; init; }

    public required string? CounterpartyAccount { get; init; }

    public required string? CounterpartyBic { get; init; }

    /// <summary>Customer reference / SEPA end-to-end id from record 2.2.</summary>
    public required string? EndToEndReference { get; init; }

    /// <summary>Record 2.2 position 113 (version 2): set when the movement rejects, returns, refunds, reverses or cancels an earlier one.</summary>
    public CodaRTransaction? RTransaction { get; init; }

    /// <summary>ISO reason return code (2.2 positions 114–117), e.g. AC04 for a closed account.</summary>
    public string? ReturnReason { get; init; }

    /// <summary>SEPA category purpose (2.2 positions 118–121).</summary>
    public string? CategoryPurpose { get; init; }

    /// <summary>SEPA purpose (2.2 positions 122–125).</summary>
    public string? Purpose { get; init; }

    /// <summary>Version 1 only: counterparty address and communication of record 2.3 (positions 74–125).</summary>
    public string? CounterpartyAddress { get; init; }

    public required IReadOnlyList<CodaInformation> Information { get; init; }

    public required IReadOnlyList<CodaMovement> Details { get; init; }
}

/// <summary>What an R-transaction does to the movement it refers to (record 2.2 position 113).</summary>
public enum CodaRTransaction
{
    Reject = 1,
    Return = 2,
    Refund = 3,
    Reversal = 4,
    Cancellation = 5,
}

/// <summary>Transaction code: type (1) + family (2) + transaction (2) + category (3).</summary>
public sealed record CodaTransactionCode(string Type, string Family, string Transaction, string Category)
{
    public static CodaTransactionCode Parse(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        var padded = code.PadRight(8);
        return new CodaTransactionCode(padded[..1], padded[1..3], padded[3..5], padded[5..8]);
    }

    /// <summary>The 8 characters as they appear in the file, e.g. 00150000.</summary>
    public override string ToString() => Type + Family + Transaction + Category;
}

/// <summary>An information record (3.1 with its 3.2 / 3.3 continuations).</summary>
public sealed record CodaInformation(
    int Sequence,
    int DetailNumber,
    CodaTransactionCode TransactionCode,
    string? StructuredType,
    string Text);

/// <summary>A free communication (record 4 lines with the same sequence number, joined by line breaks).</summary>
public sealed record CodaFreeMessage(int Sequence, string Text);
