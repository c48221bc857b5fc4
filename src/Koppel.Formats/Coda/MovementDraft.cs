using System.Buffers;

namespace Koppel.Formats.Coda;

/// <summary>
/// A movement while its records (2.1, 2.2, 2.3, 3.x and its globalisation details) are still arriving.
/// Drafts are taken from a <see cref="DraftPool"/> and go back to it once built: a file of 100,000 movements then
/// allocates only what the movements themselves keep, not a draft, a list and a text buffer per movement.
/// </summary>
internal sealed class MovementDraft
{
    private ReusableText _communication;
    private readonly List<InformationDraft> _information = [];
    private readonly List<MovementDraft> _details = [];

    public int Sequence { get; private set; }

    public int DetailNumber { get; private set; }

    public int Line { get; private set; }

    public string? BankReference { get; private set; }

    public decimal Amount { get; private set; }

    public DateOnly? ValueDate { get; private set; }

    public DateOnly? EntryDate { get; private set; }

    public CodaTransactionCode TransactionCode { get; private set; } = null!;

    public int GlobalisationCode { get; private set; }

    /// <summary>Type of the structured communication (101, 127, …), or null when the communication is free text.</summary>
    public string? StructuredType { get; private set; }

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

    public InformationDraft? LastInformation => _information.Count == 0 ? null : _information[^1];

    /// <summary>Starts the draft of the movement (or detail) of a record 2.1; everything of a previous use is gone.</summary>
    public MovementDraft Start(
        int sequence, int detailNumber, int line, string? bankReference, decimal amount, DateOnly? valueDate, DateOnly? entryDate,
        CodaTransactionCode transactionCode, int globalisationCode, string? structuredType)
    {
        Sequence = sequence;
        DetailNumber = detailNumber;
        Line = line;
        BankReference = bankReference;
        Amount = amount;
        ValueDate = valueDate;
        EntryDate = entryDate;
        TransactionCode = transactionCode;
        GlobalisationCode = globalisationCode;
        StructuredType = structuredType;
        RenderedStructuredReference = null;
        CounterpartyName = null;
        CounterpartyAccount = null;
        CounterpartyBic = null;
        EndToEndReference = null;
        RTransaction = null;
        ReturnReason = null;
        CategoryPurpose = null;
        Purpose = null;
        CounterpartyAddress = null;
        _communication.Clear();
        return this;
    }

    /// <summary>Appends a fixed-width piece of communication as it stands in the record, so words cut at a record boundary join up again.</summary>
    public void AppendCommunication(ReadOnlySpan<char> piece) => _communication.Append(piece);

    public void AddInformation(InformationDraft information) => _information.Add(information);

    public void AddDetail(MovementDraft detail) => _details.Add(detail);

    /// <summary>Hands this draft, its details and their information drafts back to the pool, once built.</summary>
    public void Recycle(DraftPool pool)
    {
        foreach (var information in _information)
        {
            pool.Return(information);
        }

        foreach (var detail in _details)
        {
            detail.Recycle(pool);
        }

        _information.Clear();
        _details.Clear();
        pool.Return(this);
    }

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
        if (_information.Count == 0)
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
        if (_details.Count == 0)
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
internal sealed class InformationDraft
{
    private ReusableText _text;
    private int _sequence;
    private int _detailNumber;
    private CodaTransactionCode _transactionCode = null!;
    private string? _structuredType;

    public InformationDraft Start(int sequence, int detailNumber, CodaTransactionCode transactionCode, string? structuredType)
    {
        _sequence = sequence;
        _detailNumber = detailNumber;
        _transactionCode = transactionCode;
        _structuredType = structuredType;
        _text.Clear();
        return this;
    }

    public void Append(ReadOnlySpan<char> piece) => _text.Append(piece);

    public CodaInformation Build() => new(_sequence, _detailNumber, _transactionCode, _structuredType, _text.Trimmed.ToString());
}

/// <summary>The drafts built and done with, ready for the next movement.</summary>
internal sealed class DraftPool
{
    private readonly Stack<MovementDraft> _movements = new();
    private readonly Stack<InformationDraft> _information = new();

    public MovementDraft RentMovement() => _movements.TryPop(out var draft) ? draft : new MovementDraft();

    public InformationDraft RentInformation() => _information.TryPop(out var draft) ? draft : new InformationDraft();

    public void Return(MovementDraft draft) => _movements.Push(draft);

    public void Return(InformationDraft draft) => _information.Push(draft);
}

/// <summary>Text pieces appended into a buffer the draft keeps from one use to the next.</summary>
internal struct ReusableText
{
    private char[]? _buffer;
    private int _length;

    /// <summary>The text so far without leading and trailing white space; valid until the next append or clear.</summary>
    public readonly ReadOnlySpan<char> Trimmed => _buffer is null ? [] : CodaRecord.TrimBlanks(_buffer.AsSpan(0, _length));

    public void Append(ReadOnlySpan<char> piece)
    {
        if (_buffer is null)
        {
            _buffer = new char[Math.Max(256, piece.Length)];
        }
        else if (_length + piece.Length > _buffer.Length)
        {
            Array.Resize(ref _buffer, (_length + piece.Length) * 2);
        }

        piece.CopyTo(_buffer.AsSpan(_length));
        _length += piece.Length;
    }

    public void Clear() => _length = 0;
}
