namespace Koppel.Formats.Coda;

/// <summary>
/// Collects the movements of a statement from records 2.1, 2.2, 2.3 and 3.x: globalisation details are
/// nested under their movement, continuations and information records go to the record they follow,
/// and the debit and credit totals of the movements themselves (detail 0000) are kept for the checks.
/// </summary>
internal sealed class MovementCollector(int version, CodaValueCaches caches, Action<CodaMovement>? onMovement)
{
    private readonly int _version = version;
    private readonly CodaValueCaches _caches = caches;
    private readonly Action<CodaMovement>? _onMovement = onMovement;
    private readonly List<CodaMovement> _completed = [];
    private readonly DraftPool _drafts = new();
    private int _completedCount;
    private MovementDraft? _currentMovement;
    private MovementDraft? _currentRecord;

    /// <summary>Sum of the debit movements (detail 0000), as a positive amount.</summary>
    public decimal Debits { get; private set; }

    /// <summary>Sum of the credit movements (detail 0000).</summary>
    public decimal Credits { get; private set; }

    public bool HasAny => _completedCount > 0 || _currentMovement is not null;

    /// <summary>
    /// Builds the movement still open and returns every movement so far (none when they are streamed to a callback).
    /// A movement is complete when the next one (or the new balance) starts; building it then lets its drafts be collected young.
    /// </summary>
    public IReadOnlyList<CodaMovement> Complete()
    {
        if (_currentMovement is not null)
        {
            var movement = _currentMovement.Build();
            _currentMovement.Recycle(_drafts);
            _completedCount++;
            if (_onMovement is null)
            {
                _completed.Add(movement);
            }
            else
            {
                _onMovement(movement);
            }

            _currentMovement = null;
            _currentRecord = null;
        }

        return _completed;
    }

    public void ReadMovement(CodaRecord record)
    {
        var sequence = record.Number(3, 4, "Sequence number");
        var detail = record.Number(7, 4, "Detail number");
        var structured = record[62] == '1';
        var movement = _drafts.RentMovement().Start(
            sequence,
            detail,
            record.LineNumber,
            bankReference: record.Text(11, 21),
            amount: record.Amount(32, 33, "Amount"),
            valueDate: record.Date(48, "Value date"),
            entryDate: record.Date(116, "Entry date"),
            transactionCode: _caches.TransactionCodes.Get(record.Span(54, 8)),
            globalisationCode: char.IsAsciiDigit(record[125]) ? record[125] - '0' : 0,
            structuredType: structured ? _caches.Texts.Get(record.Span(63, 3)) : null);

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
        Complete();
        _currentMovement = movement;

        // Only the movements themselves count: globalisation details repeat amounts already in their total.
        if (movement.Amount < 0)
        {
            Debits -= movement.Amount;
        }
        else
        {
            Credits += movement.Amount;
        }
    }

    private void AddDetail(CodaRecord record, MovementDraft detail)
    {
        if (_currentMovement is null || _currentMovement.Sequence != detail.Sequence)
        {
            // Keep the record visible rather than dropping it, but it does not count toward the trailer sums.
            record.Warn(CodaRules.RecordOrder, $"Detail {detail.DetailNumber} of movement {detail.Sequence} does not follow that movement; read as a movement of its own.", 3);
            Complete();
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

    public void ReadMovementPart2(CodaRecord record)
    {
        var movement = ContinuedMovement(record, "2.2");
        if (movement is null)
        {
            return;
        }

        movement.AppendCommunication(record.Span(11, 53));
        if (_version == 1)
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
        var bic = CodaRecord.TrimBlanks(record.Span(99, 11));
        movement.CounterpartyBic = bic.IsEmpty ? null : _caches.Texts.Get(bic);
    }

    public void ReadMovementPart3(CodaRecord record)
    {
        var movement = ContinuedMovement(record, "2.3");
        if (movement is null)
        {
            return;
        }

        if (_version == 1)
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

    public void ReadInformation(CodaRecord record)
    {
        if (_currentRecord is null)
        {
            record.Warn(CodaRules.RecordOrder, "Information record 3.1 without a preceding movement (2.1); skipped.", 1);
            return;
        }

        var structured = record[40] == '1';
        var information = _drafts.RentInformation().Start(
            record.Number(3, 4, "Sequence number"),
            record.Number(7, 4, "Detail number"),
            _caches.TransactionCodes.Get(record.Span(32, 8)),
            structured ? _caches.Texts.Get(record.Span(41, 3)) : null);
        information.Append(structured ? record.Span(44, 70) : record.Span(41, 73));
        _currentRecord.AddInformation(information);
    }

    public void ContinueInformation(CodaRecord record, int length)
    {
        var information = _currentRecord?.LastInformation;
        if (information is null)
        {
            record.Warn(CodaRules.RecordOrder, $"Record {record[1]}.{record[2]} without a preceding information record 3.1; skipped.", 1);
            return;
        }

        information.Append(record.Span(11, length));
    }
}
