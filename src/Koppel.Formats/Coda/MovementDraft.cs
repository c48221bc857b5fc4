using System.Text;

namespace Koppel.Formats.Coda;

/// <summary>
/// A movement while its records (2.1, 2.2, 2.3, 3.x and its globalisation details) are still arriving.
/// </summary>
internal sealed class MovementDraft
{
    // Most movements have no details and one or no information record: allocate only what is used.
    private StringBuilder? _communication;
    private List<InformationDraft>? _information;
    private List<MovementDraft>? _details;

    public required int Sequence { get; init; }

    public required int DetailNumber { get; init; }

    public required int Line { get; init; }

    public required string? BankReference { get; init; }

    public required decimal Amount { get; init; }

    public required DateOnly? ValueDate { get; init; }

    public required DateOnly? EntryDate { get; init; }

    public required CodaTransactionCode TransactionCode { get; init; }

    public required int GlobalisationCode { get; init; }

    /// <summary>Type of the structured communication (101, 127, …), or null when the communication is free text.</summary>
    public required string? StructuredType { get; init; }

    public string? RenderedStructuredReference { get; set; }

    public string? CounterpartyName { get; set; }

    public string? CounterpartyAccount { get; set; }

    public string? CounterpartyBic { get; set; }

    public string? EndToEndReference { get; set; }

    public CodaRTransaction? RTransaction { get; set; }

    public string? ReturnReason { get; set; }

    public string? CategoryPurpose { get; set; }

    public string? Purpose { get; set; }

    public string? CounterpartyAddress { get; set; }

    public InformationDraft? LastInformation => _information is null ? null : _information[^1];

    /// <summary>Appends a fixed-width piece of communication as it stands in the record, so words cut at a record boundary join up again.</summary>
    public void AppendCommunication(ReadOnlySpan<char> piece) => (_communication ??= new StringBuilder(160)).Append(piece);

    public void AddInformation(InformationDraft information) => (_information ??= []).Add(information);

    public void AddDetail(MovementDraft detail) => (_details ??= []).Add(detail);

    public CodaMovement Build()
    {
        IReadOnlyList<CodaInformation> information = _information is null ? [] : _information.ConvertAll(i => i.Build());
        var joined = _communication is null ? string.Empty : _communication.ToString().Trim();
        string? structured = null;
        string? free;
        if (StructuredType is null)
        {
            free = Join([joined, .. FreeInformationTexts(information)]);
        }
        else
        {
            structured = RenderedStructuredReference ?? NullIfEmpty(joined);
            free = Join(FreeInformationTexts(information));
        }

        return new CodaMovement
        {
            Sequence = Sequence,
            DetailNumber = DetailNumber,
            Line = Line,
            BankReference = BankReference,
            Amount = Amount,
            ValueDate = ValueDate,
            EntryDate = EntryDate,
            TransactionCode = TransactionCode,
            GlobalisationCode = GlobalisationCode,
            StructuredCommunicationType = StructuredType,
            StructuredCommunication = structured,
            Communication = free,
            CounterpartyName = CounterpartyName ?? CounterpartyNameFromInformation(information),
            CounterpartyAccount = CounterpartyAccount,
            CounterpartyBic = CounterpartyBic,
            EndToEndReference = EndToEndReference,
            RTransaction = RTransaction,
            ReturnReason = ReturnReason,
            CategoryPurpose = CategoryPurpose,
            Purpose = Purpose,
            CounterpartyAddress = CounterpartyAddress,
            Information = information,
            Details = _details is null ? [] : _details.ConvertAll(d => d.Build()),
        };
    }

    // Banks continue long free text (European transfers) in information records without a structure type.
    private static IEnumerable<string> FreeInformationTexts(IReadOnlyList<CodaInformation> information) =>
        information.Count == 0 ? [] : information.Where(i => i.StructuredType is null).Select(i => i.Text);

    // Information type 001 starts with the counterparty's name (70 characters) when record 2.3 had none.
    private static string? CounterpartyNameFromInformation(IReadOnlyList<CodaInformation> information)
    {
        var text = information.FirstOrDefault(i => i.StructuredType == "001")?.Text;
        return text is null ? null : NullIfEmpty(text[..Math.Min(70, text.Length)].Trim());
    }

    // Fixed-width records pad every piece with blanks; in free text those runs are padding, not meaning.
    private static string? Join(IEnumerable<string> parts) =>
        NullIfEmpty(CollapseBlanks(string.Join(' ', parts.Where(p => p.Length > 0))));

    private static string CollapseBlanks(string text)
    {
        if (!text.Contains("  ", StringComparison.Ordinal))
        {
            return text;
        }

        var collapsed = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c != ' ' || collapsed.Length == 0 || collapsed[^1] != ' ')
            {
                collapsed.Append(c);
            }
        }

        return collapsed.ToString();
    }

    private static string? NullIfEmpty(string text) => text.Length == 0 ? null : text;
}

/// <summary>An information record (3.1) while its 3.2 / 3.3 continuations are still arriving.</summary>
internal sealed class InformationDraft(int sequence, int detailNumber, CodaTransactionCode transactionCode, string? structuredType)
{
    private readonly StringBuilder _text = new();

    public void Append(ReadOnlySpan<char> piece) => _text.Append(piece);

    public CodaInformation Build() =>
        new(sequence, detailNumber, transactionCode, structuredType, _text.ToString().Trim());
}
