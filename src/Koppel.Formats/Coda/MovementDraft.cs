using System.Buffers;

namespace Koppel.Formats.Coda;

/// <summary>
/// A movement while its records (2.1, 2.2, 2.3, 3.x and its globalisation details) are still arriving.
/// </summary>
internal sealed class MovementDraft
{
    // Most movements have no details and one or no information record: allocate only what is used.
    private PooledText _communication;
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
    public void AppendCommunication(ReadOnlySpan<char> piece) => _communication.Append(piece);

    public void AddInformation(InformationDraft information) => (_information ??= []).Add(information);

    public void AddDetail(MovementDraft detail) => (_details ??= []).Add(detail);

    public CodaMovement Build()
    {
        var information = BuildInformation();
        var joined = _communication.Trimmed;
        string? structured = null;
        string? free;
        if (StructuredType is null)
        {
            free = JoinFreeText(joined, information);
        }
        else
        {
            structured = RenderedStructuredReference ?? (joined.IsEmpty ? null : joined.ToString());
            free = JoinFreeText([], information);
        }

        _communication.Release();
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
            Details = BuildDetails(),
        };
    }

    private CodaInformation[] BuildInformation()
    {
        if (_information is null)
        {
            return [];
        }

        var built = new CodaInformation[_information.Count];
        for (var i = 0; i < built.Length; i++)
        {
            built[i] = _information[i].Build();
        }

        return built;
    }

    private CodaMovement[] BuildDetails()
    {
        if (_details is null)
        {
            return [];
        }

        var built = new CodaMovement[_details.Count];
        for (var i = 0; i < built.Length; i++)
        {
            built[i] = _details[i].Build();
        }

        return built;
    }

    /// <summary>
    /// The free text: the movement's own communication (when it is not structured) and the free-text information
    /// records (3.x without a structure type, where banks continue long European transfer texts), joined by one blank;
    /// runs of blanks collapse to one, since in fixed-width records they are padding, not meaning. Null when empty.
    /// </summary>
    private static string? JoinFreeText(ReadOnlySpan<char> communication, CodaInformation[] information)
    {
        var length = communication.Length;
        var parts = communication.IsEmpty ? 0 : 1;
        foreach (var item in information)
        {
            if (item.StructuredType is null && item.Text.Length > 0)
            {
                length += item.Text.Length + 1;
                parts++;
            }
        }

        if (parts == 0)
        {
            return null;
        }

        var rented = ArrayPool<char>.Shared.Rent(length);
        var written = 0;
        if (!communication.IsEmpty)
        {
            written = AppendCollapsed(rented, written, communication);
        }

        foreach (var item in information)
        {
            if (item.StructuredType is null && item.Text.Length > 0)
            {
                if (written > 0)
                {
                    rented[written++] = ' ';
                }

                written = AppendCollapsed(rented, written, item.Text);
            }
        }

        var text = new string(rented, 0, written);
        ArrayPool<char>.Shared.Return(rented);
        return text;
    }

    private static int AppendCollapsed(char[] target, int written, ReadOnlySpan<char> piece)
    {
        foreach (var c in piece)
        {
            if (c != ' ' || written == 0 || target[written - 1] != ' ')
            {
                target[written++] = c;
            }
        }

        return written;
    }

    // Information type 001 starts with the counterparty's name (70 characters) when record 2.3 had none.
    private static string? CounterpartyNameFromInformation(CodaInformation[] information)
    {
        foreach (var item in information)
        {
            if (item.StructuredType == "001")
            {
                var name = item.Text.AsSpan(0, Math.Min(70, item.Text.Length)).Trim();
                return name.IsEmpty ? null : name.ToString();
            }
        }

        return null;
    }
}

/// <summary>An information record (3.1) while its 3.2 / 3.3 continuations are still arriving.</summary>
internal sealed class InformationDraft(int sequence, int detailNumber, CodaTransactionCode transactionCode, string? structuredType)
{
    private PooledText _text;

    public void Append(ReadOnlySpan<char> piece) => _text.Append(piece);

    public CodaInformation Build()
    {
        var text = _text.Trimmed.ToString();
        _text.Release();
        return new(sequence, detailNumber, transactionCode, structuredType, text);
    }
}

/// <summary>Text pieces appended into a buffer borrowed from the shared pool, handed back when the text is built.</summary>
internal struct PooledText
{
    private char[]? _buffer;
    private int _length;

    /// <summary>The text so far without leading and trailing white space; valid until the next append or release.</summary>
    public readonly ReadOnlySpan<char> Trimmed => _buffer is null ? [] : CodaRecord.TrimBlanks(_buffer.AsSpan(0, _length));

    public void Append(ReadOnlySpan<char> piece)
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<char>.Shared.Rent(Math.Max(256, piece.Length));
        }
        else if (_length + piece.Length > _buffer.Length)
        {
            var larger = ArrayPool<char>.Shared.Rent((_length + piece.Length) * 2);
            _buffer.AsSpan(0, _length).CopyTo(larger);
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = larger;
        }

        piece.CopyTo(_buffer.AsSpan(_length));
        _length += piece.Length;
    }

    public void Release()
    {
        if (_buffer is not null)
        {
            ArrayPool<char>.Shared.Return(_buffer);
            _buffer = null;
            _length = 0;
        }
    }
}
