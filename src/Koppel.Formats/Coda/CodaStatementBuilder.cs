using Koppel.Formats.Findings;

namespace Koppel.Formats.Coda;

/// <summary>
/// Reads the records of one logical file (after its header) into a statement, and runs the
/// integrity checks when the new balance (record 8) and the trailer (record 9) arrive.
/// </summary>
internal sealed class CodaStatementBuilder
{
    private readonly CodaHeader _header;
    private readonly MovementCollector _movements;
    private readonly List<CodaFreeMessage> _freeMessages = [];
    private OldBalanceRecord? _old;
    private NewBalanceRecord? _new;
    private int _countedRecords;

    public CodaStatementBuilder(CodaHeader header, CodaValueCaches caches, Action<CodaMovement>? onMovement)
    {
        _header = header;
        _movements = new MovementCollector(header.Version, caches, onMovement);
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
                WarnWhenBeforeOldBalance(record);
                _movements.ReadMovement(record);
                break;
            case ('2', '2'):
                Count();
                _movements.ReadMovementPart2(record);
                break;
            case ('2', '3'):
                Count();
                _movements.ReadMovementPart3(record);
                break;
            case ('3', '1'):
                Count();
                _movements.ReadInformation(record);
                break;
            case ('3', '2'):
                Count();
                _movements.ContinueInformation(record, 115 - 11 + 1);
                break;
            case ('3', '3'):
                Count();
                _movements.ContinueInformation(record, 100 - 11 + 1);
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
        Movements = _movements.Complete(),
        FreeMessages = _freeMessages,
        Findings = findings,
    };

    private void Count() => _countedRecords++;

    private void WarnWhenBeforeOldBalance(CodaRecord record)
    {
        if (_old is null && !_movements.HasAny)
        {
            record.Warn(CodaRules.RecordOrder, "Movement before the old balance (record 1).", 1);
        }
    }

    private void ReadOldBalance(CodaRecord record)
    {
        if (_old is not null || _movements.HasAny)
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
        _movements.Complete();
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

        var movements = _movements.Credits - _movements.Debits;
        var expected = _old.Balance + movements;
        if (expected != _new.Balance)
        {
            record.Warn(
                CodaRules.Balance,
                $"Old balance {_old.Balance} plus movements {movements} is {expected}, but the new balance is {_new.Balance}.",
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
        if (debits != _movements.Debits)
        {
            record.Warn(CodaRules.TrailerDebit, $"Trailer debit total is {debits}; the movements (detail 0000) add up to {_movements.Debits}.", 23);
        }

        var credits = record.UnsignedAmount(38, "Credit total");
        if (credits != _movements.Credits)
        {
            record.Warn(CodaRules.TrailerCredit, $"Trailer credit total is {credits}; the movements (detail 0000) add up to {_movements.Credits}.", 38);
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
