using Koppel.Formats.Findings;

namespace Koppel.Formats.Coda;

/// <summary>
/// Reads the records of one logical file (after its header) into a statement, and runs the
/// integrity checks when the new balance (record 8) and the trailer (record 9) arrive.
/// </summary>
internal sealed class CodaStatementBuilder
{
    private readonly CodaHeader _header;
    private readonly CodaValueCaches _caches;
    private readonly List<CodaMovement> _movements = [];
    private readonly List<CodaFreeMessage> _freeMessages = [];
    private OldBalanceRecord? _old;
    private NewBalanceRecord? _new;
    private MovementDraft? _currentMovement;
    private MovementDraft? _currentRecord;
    private int _countedRecords;
    private decimal _debits;
    private decimal _credits;

    public CodaStatementBuilder(CodaHeader header, CodaValueCaches caches)
    {
        _header = header;
        _caches = caches;
    }

    public bool HasTrailer => TrailerLine is not null;

    public int? TrailerLine { get; private set; }

    /// <summary>Record 9 position 128: '1' when another logical file follows, '2' on the last one.</summary>
    public char MultipleFileCode { get; private set; }

    public void Accept(CodaRecord record)
    {
        switch (record[1], record[2])
        {
            case ('1', _):
                Count();
                ReadOldBalance(record);
                break;
            case ('2', '1'):
                Count();
                ReadMovement(record);
                break;
            case ('2', '2'):
                Count();
                ReadMovementPart2(record);
                break;
            case ('2', '3'):
                Count();
                ReadMovementPart3(record);
                break;
            case ('3', '1'):
                Count();
                ReadInformation(record);
                break;
            case ('3', '2'):
                Count();
                ContinueInformation(record, 115 - 11 + 1);
                break;
            case ('3', '3'):
                Count();
                ContinueInformation(record, 100 - 11 + 1);
                break;
            case ('4', _):
                ReadFreeMessage(record);
                break;
            case ('8', _):
                Count();
                ReadNewBalance(record);
                break;
            case ('9', _):
                ReadTrailer(record);
                break;
            default:
                record.Warn(CodaRules.RecordType, $"Unknown record type '{record.Raw(1, 2).TrimEnd()}'; the record is skipped.", 1);
                break;
        }
    }

    public CodaStatement Build(IReadOnlyList<Finding> findings) => new()
    {
        Version = _header.Version,
        Line = _header.Line,
        CreationDate = _header.CreationDate,
        BankId = _header.BankId,
        Bic = _header.Bic,
        IsDuplicate = _header.IsDuplicate,
        FileReference = _header.FileReference,
        AddresseeName = _header.AddresseeName,
        CompanyNumber = _header.CompanyNumber,
        Account = _old?.Account.Number ?? _new?.Account.Number ?? string.Empty,
        AccountStructure = _old?.Account.Structure ?? CodaAccountStructure.BelgianBban,
        Currency = _old?.Account.Currency ?? _new?.Account.Currency ?? string.Empty,
        AccountHolderName = _old?.HolderName,
        AccountDescription = _old?.Description,
        PaperSequence = _old?.PaperSequence,
        CodaSequence = _old?.CodaSequence,
        OldBalance = _old?.Balance ?? 0m,
        OldBalanceDate = _old?.Date,
        NewBalance = _new?.Balance ?? 0m,
        NewBalanceDate = _new?.Date,
        Movements = CompletedMovements(),
        FreeMessages = _freeMessages,
        Findings = findings,
    };

    private void Count() => _countedRecords++;

    private List<CodaMovement> CompletedMovements()
    {
        CompleteMovement();
        return _movements;
    }

    // A movement is complete when the next one (or the new balance) starts; building it then lets its drafts be collected young.
    private void CompleteMovement()
    {
        if (_currentMovement is not null)
        {
            _movements.Add(_currentMovement.Build());
            _currentMovement = null;
            _currentRecord = null;
        }
    }

    private void ReadOldBalance(CodaRecord record)
    {
        if (_old is not null || _movements.Count > 0)
        {
            record.Warn(CodaRules.RecordOrder, "A second old-balance record (1) in the same statement.", 1);
            return;
        }

        var structure = CodaAccount.StructureOf(record, _header.Version);
        _old = new OldBalanceRecord(
            record.Number(3, 3, "Paper statement sequence number"),
            CodaAccount.Read(record, 6, structure),
            record.Amount(43, 44, "Old balance"),
            record.Date(59, "Old balance date"),
            record.Text(65, 26),
            record.Text(91, 35),
            record.Number(126, 3, "CODA sequence number"));
    }

    private void ReadMovement(CodaRecord record)
    {
        if (_old is null && _movements.Count == 0 && _currentMovement is null)
        {
            record.Warn(CodaRules.RecordOrder, "Movement before the old balance (record 1).", 1);
        }

        var sequence = record.Number(3, 4, "Sequence number");
        var detail = record.Number(7, 4, "Detail number");
        var structured = record[62] == '1';
        var movement = new MovementDraft
        {
            Sequence = sequence,
            DetailNumber = detail,
            Line = record.LineNumber,
            BankReference = record.Text(11, 21),
            Amount = record.Amount(32, 33, "Amount"),
            ValueDate = record.Date(48, "Value date"),
            EntryDate = record.Date(116, "Entry date"),
            TransactionCode = _caches.TransactionCodes.Get(record.Span(54, 8)),
            GlobalisationCode = char.IsAsciiDigit(record[125]) ? record[125] - '0' : 0,
            StructuredType = structured ? _caches.Texts.Get(record.Span(63, 3)) : null,
        };

        if (structured)
        {
            ReadStructuredCommunication(record, movement);
        }
        else
        {
            movement.AppendCommunication(record.Span(63, 53));
        }

        if (detail == 0)
        {
            AddMovement(movement);
        }
        else
        {
            AddDetail(record, movement);
        }

        _currentRecord = movement;
    }

    private void AddMovement(MovementDraft movement)
    {
        CompleteMovement();
        _currentMovement = movement;

        // Only the movements themselves count: globalisation details repeat amounts already in their total.
        if (movement.Amount < 0)
        {
            _debits -= movement.Amount;
        }
        else
        {
            _credits += movement.Amount;
        }
    }

    private void AddDetail(CodaRecord record, MovementDraft detail)
    {
        if (_currentMovement is null || _currentMovement.Sequence != detail.Sequence)
        {
            // Keep the record visible rather than dropping it, but it does not count toward the trailer sums.
            record.Warn(CodaRules.RecordOrder, $"Detail {detail.DetailNumber} of movement {detail.Sequence} does not follow that movement; read as a movement of its own.", 3);
            CompleteMovement();
            _currentMovement = detail;
            return;
        }

        _currentMovement.AddDetail(detail);
    }

    private static void ReadStructuredCommunication(CodaRecord record, MovementDraft movement)
    {
        if (movement.StructuredType is "101" or "102")
        {
            var reference = record.Span(66, StructuredReference.Length);
            movement.RenderedStructuredReference = StructuredReference.Render(reference);
            if (!StructuredReference.HasValidCheckDigits(reference))
            {
                record.Warn(
                    CodaRules.StructuredCommunication,
                    $"Structured communication {movement.RenderedStructuredReference} fails the mod-97 check.",
                    66);
            }
        }
        else
        {
            movement.AppendCommunication(record.Span(66, 50));
        }
    }

    private void ReadMovementPart2(CodaRecord record)
    {
        var movement = ContinuedMovement(record, "2.2");
        if (movement is null)
        {
            return;
        }

        movement.AppendCommunication(record.Span(11, 53));
        if (_header.Version == 1)
        {
            // Version 1 has no BIC or purpose fields: positions 64–125 are communication or reference.
            movement.AppendCommunication(record.Span(64, 62));
            return;
        }

        movement.EndToEndReference = record.Text(64, 35);
        movement.RTransaction = record[113] is >= '1' and <= '5' ? (CodaRTransaction)(record[113] - '0') : null;
        movement.ReturnReason = record.Text(114, 4);
        movement.CategoryPurpose = record.Text(118, 4);
        movement.Purpose = record.Text(122, 4);
        var bic = record.Span(99, 11).Trim();
        movement.CounterpartyBic = bic.IsEmpty ? null : _caches.Texts.Get(bic);
    }

    private void ReadMovementPart3(CodaRecord record)
    {
        var movement = ContinuedMovement(record, "2.3");
        if (movement is null)
        {
            return;
        }

        if (_header.Version == 1)
        {
            movement.CounterpartyAccount = record.Text(11, 12);
            movement.CounterpartyName = record.Text(48, 26);
            movement.CounterpartyAddress = record.Text(74, 52);
            return;
        }

        movement.CounterpartyAccount = CodaAccount.Counterparty(record.Span(11, 37));
        movement.CounterpartyName = record.Text(48, 35);
        movement.AppendCommunication(record.Span(83, 43));
    }

    private MovementDraft? ContinuedMovement(CodaRecord record, string article)
    {
        if (_currentRecord is null)
        {
            record.Warn(CodaRules.RecordOrder, $"Record {article} without a preceding movement (2.1); skipped.", 1);
            return null;
        }

        if (record.Number(3, 4, "Sequence number") != _currentRecord.Sequence)
        {
            record.Warn(CodaRules.RecordOrder, $"Record {article} has another sequence number than movement {_currentRecord.Sequence}.", 3);
        }

        return _currentRecord;
    }

    private void ReadInformation(CodaRecord record)
    {
        if (_currentRecord is null)
        {
            record.Warn(CodaRules.RecordOrder, "Information record 3.1 without a preceding movement (2.1); skipped.", 1);
            return;
        }

        var structured = record[40] == '1';
        var information = new InformationDraft(
            record.Number(3, 4, "Sequence number"),
            record.Number(7, 4, "Detail number"),
            _caches.TransactionCodes.Get(record.Span(32, 8)),
            structured ? _caches.Texts.Get(record.Span(41, 3)) : null);
        information.Append(structured ? record.Span(44, 70) : record.Span(41, 73));
        _currentRecord.AddInformation(information);
    }

    private void ContinueInformation(CodaRecord record, int length)
    {
        var information = _currentRecord?.LastInformation;
        if (information is null)
        {
            record.Warn(CodaRules.RecordOrder, $"Record {record[1]}.{record[2]} without a preceding information record 3.1; skipped.", 1);
            return;
        }

        information.Append(record.Span(11, length));
    }

    private void ReadFreeMessage(CodaRecord record)
    {
        var sequence = record.Number(3, 4, "Free message sequence number");
        var text = record.Span(33, 80).TrimEnd().ToString();
        if (_freeMessages.Count > 0 && _freeMessages[^1].Sequence == sequence)
        {
            var previous = _freeMessages[^1];
            _freeMessages[^1] = previous with { Text = previous.Text + "\n" + text };
            return;
        }

        _freeMessages.Add(new CodaFreeMessage(sequence, text));
    }

    private void ReadNewBalance(CodaRecord record)
    {
        CompleteMovement();
        var structure = _old?.Account.Structure ?? CodaAccount.StructureOf(record, _header.Version);
        _new = new NewBalanceRecord(
            CodaAccount.Read(record, 5, structure),
            record.Amount(42, 43, "New balance"),
            record.Date(58, "New balance date"));

        if (_old is null)
        {
            record.Warn(CodaRules.RecordOrder, "New balance (record 8) without an old balance (record 1).", 1);
            return;
        }

        if (_new.Account != _old.Account)
        {
            record.Warn(
                CodaRules.Account,
                $"Record 8 shows account {_new.Account.Number} {_new.Account.Currency}, record 1 shows {_old.Account.Number} {_old.Account.Currency}.",
                5);
        }

        var expected = _old.Balance + _credits - _debits;
        if (expected != _new.Balance)
        {
            record.Warn(
                CodaRules.Balance,
                $"Old balance {_old.Balance} plus movements {_credits - _debits} is {expected}, but the new balance is {_new.Balance}.",
                43);
        }
    }

    private void ReadTrailer(CodaRecord record)
    {
        TrailerLine = record.LineNumber;
        MultipleFileCode = record[128];

        var count = record.Number(17, 6, "Record count");
        if (count != _countedRecords)
        {
            record.Warn(CodaRules.TrailerCount, $"Trailer counts {count} records of types 1, 2, 3 and 8; the statement has {_countedRecords}.", 17);
        }

        var debits = record.UnsignedAmount(23, "Debit total");
        if (debits != _debits)
        {
            record.Warn(CodaRules.TrailerDebit, $"Trailer debit total is {debits}; the movements (detail 0000) add up to {_debits}.", 23);
        }

        var credits = record.UnsignedAmount(38, "Credit total");
        if (credits != _credits)
        {
            record.Warn(CodaRules.TrailerCredit, $"Trailer credit total is {credits}; the movements (detail 0000) add up to {_credits}.", 38);
        }

        if (MultipleFileCode is not ('1' or '2'))
        {
            record.Warn(CodaRules.MultipleFile, $"Multiple-file code '{MultipleFileCode}' is neither 1 (another file follows) nor 2 (last file).", 128);
        }
    }

    private sealed record OldBalanceRecord(
        int PaperSequence,
        CodaAccount Account,
        decimal Balance,
        DateOnly? Date,
        string? HolderName,
        string? Description,
        int CodaSequence);

    private sealed record NewBalanceRecord(CodaAccount Account, decimal Balance, DateOnly? Date);
}

/// <summary>Caches shared by all statements of one physical file.</summary>
internal sealed class CodaValueCaches
{
    public RepeatedValueCache<CodaTransactionCode> TransactionCodes { get; } = new(CodaTransactionCode.Parse);

    public RepeatedValueCache<string> Texts { get; } = new(text => text);
}
