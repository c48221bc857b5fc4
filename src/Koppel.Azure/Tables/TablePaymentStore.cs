using System.Runtime.CompilerServices;
using Azure.Data.Tables;
using Koppel.Core.Payments;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tables;

/// <summary>
/// Followed invoices and their payments, partitioned by dossier: <c>i|{document}</c> rows for the invoices (with a
/// <c>Closed</c> column, so the open ones are one filtered partition query) and <c>p|{document}|{payment}</c> rows for the
/// payments, so one document's payments are a key range. A payment is inserted, never upserted: its deterministic id
/// makes a second poll's insert fail, which is what records it once.
/// </summary>
public sealed class TablePaymentStore : IPaymentStore
{
    private const string InvoiceWhat = "followed invoice";
    private const string PaymentWhat = "payment";
    private readonly KoppelTable _table;

    public TablePaymentStore(TableClient table) => _table = new KoppelTable(table);

    public async Task<TrackedInvoice?> GetInvoiceAsync(string dossierId, string documentId, CancellationToken cancellationToken)
    {
        var entity = await _table.GetAsync(TableKeys.Ensure(dossierId, nameof(dossierId)), InvoiceKey(documentId), cancellationToken);
        return entity is null ? null : InvoiceFrom(entity);
    }

    public async Task<TrackedInvoice> AddInvoiceIfAbsentAsync(TrackedInvoice invoice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var etag = await _table.TryAddAsync(ToEntity(invoice), cancellationToken);
        return etag is not null
            ? invoice with { ETag = etag }
            : await GetInvoiceAsync(invoice.DossierId, invoice.DocumentId, cancellationToken) ?? invoice;
    }

    public async Task<TrackedInvoice> ReplaceInvoiceAsync(TrackedInvoice invoice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invoice);
        var etag = await _table.ReplaceIfMatchAsync(ToEntity(invoice), invoice.ETag, InvoiceWhat, cancellationToken);
        return invoice with { ETag = etag };
    }

    public async IAsyncEnumerable<TrackedInvoice> ListOpenAsync(string dossierId, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Ensure(dossierId, nameof(dossierId))} and RowKey ge {"i|"} and RowKey lt {"i}"} and Closed eq {false}");
        await foreach (var entity in _table.QueryAsync(filter, null, cancellationToken))
        {
            yield return InvoiceFrom(entity);
        }
    }

    public async Task<bool> TryAddPaymentAsync(PaymentRecord payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return await _table.TryAddAsync(ToEntity(payment), cancellationToken) is not null;
    }

    public async Task<PaymentRecord> ReplacePaymentAsync(PaymentRecord payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        var etag = await _table.ReplaceIfMatchAsync(ToEntity(payment), payment.ETag, PaymentWhat, cancellationToken);
        return payment with { ETag = etag };
    }

    public async Task<IReadOnlyList<PaymentRecord>> ListPaymentsAsync(string dossierId, string documentId, CancellationToken cancellationToken)
    {
        var result = new List<PaymentRecord>();
        await foreach (var entity in _table.QueryAsync(PaymentsFilter(dossierId, documentId), null, cancellationToken))
        {
            result.Add(PaymentFrom(entity));
        }

        return result;
    }

    public async Task<Page<PaymentRecord>> ListPaymentsPageAsync(string dossierId, string? documentId, PageRequest page, CancellationToken cancellationToken) =>
        (await _table.QueryPageAsync(PaymentsFilter(dossierId, documentId), page, cancellationToken)).Select(PaymentFrom);

    private static string PaymentsFilter(string dossierId, string? documentId)
    {
        var prefix = documentId is null ? "p|" : $"p|{TableKeys.Ensure(documentId, nameof(documentId))}|";
        var end = prefix[..^1] + "}";
        return TableClient.CreateQueryFilter($"PartitionKey eq {TableKeys.Ensure(dossierId, nameof(dossierId))} and RowKey ge {prefix} and RowKey lt {end}");
    }

    private static string InvoiceKey(string documentId) => "i|" + TableKeys.Ensure(documentId, nameof(documentId));

    private static TableEntity ToEntity(TrackedInvoice i)
    {
        var entity = new TableEntity(TableKeys.Ensure(i.DossierId, nameof(i.DossierId)), InvoiceKey(i.DocumentId))
        {
            ["Currency"] = i.Currency,
            ["Amount"] = EntityColumns.ToColumn(i.Amount),
            ["IsCreditNote"] = i.IsCreditNote,
            ["CreditedInvoiceNumbers"] = EntityColumns.ToJson(i.CreditedInvoiceNumbers),
            ["Status"] = i.Status.ToString(),
            ["SettledAmount"] = EntityColumns.ToColumn(i.SettledAmount),
            ["SeenOpenBy"] = EntityColumns.ToJson(i.SeenOpenBy),
            ["Closed"] = i.Closed,
            ["UpdatedAt"] = i.UpdatedAt,
        };
        entity.SetIfNotNull("Number", i.Number);
        entity.SetIfNotNull("IssueDate", EntityColumns.ToColumn(i.IssueDate));
        entity.SetIfNotNull("StructuredReference", i.StructuredReference);
        return entity;
    }

    private static TrackedInvoice InvoiceFrom(TableEntity e) => new()
    {
        DossierId = e.PartitionKey,
        DocumentId = e.RowKey[2..],
        Number = e.GetString("Number"),
        IssueDate = EntityColumns.ToDateOnly(e.GetString("IssueDate")),
        Currency = e.GetString("Currency") ?? "EUR",
        Amount = EntityColumns.ToDecimal(e.GetString("Amount")) ?? 0m,
        StructuredReference = e.GetString("StructuredReference"),
        IsCreditNote = e.GetBoolean("IsCreditNote") ?? false,
        CreditedInvoiceNumbers = e.FromJson<List<string>>("CreditedInvoiceNumbers", []),
        Status = e.GetEnum<InvoicePaymentStatus>("Status"),
        SettledAmount = EntityColumns.ToDecimal(e.GetString("SettledAmount")) ?? 0m,
        SeenOpenBy = e.FromJson<List<string>>("SeenOpenBy", []),
        Closed = e.GetBoolean("Closed") ?? false,
        UpdatedAt = e.GetInstant("UpdatedAt"),
        ETag = e.ETag.ToString(),
    };

    private static TableEntity ToEntity(PaymentRecord p)
    {
        var entity = new TableEntity(
            TableKeys.Ensure(p.DossierId, nameof(p.DossierId)),
            $"p|{TableKeys.Ensure(p.DocumentId, nameof(p.DocumentId))}|{TableKeys.Ensure(p.PaymentId, nameof(p.PaymentId))}")
        {
            ["DocumentId"] = p.DocumentId,
            ["PaymentId"] = p.PaymentId,
            ["Kind"] = p.Kind.ToString(),
            ["Amount"] = EntityColumns.ToColumn(p.Amount),
            ["Currency"] = p.Currency,
            ["Date"] = EntityColumns.ToColumn(p.Date),
            ["Source"] = p.Source,
            ["SourceName"] = p.SourceName,
            ["Status"] = p.Status.ToString(),
            ["RecordedAt"] = p.RecordedAt,
            ["UpdatedAt"] = p.UpdatedAt,
        };
        entity.SetIfNotNull("SourceReference", p.SourceReference);
        entity.SetIfNotNull("ConfirmedBy", p.ConfirmedBy);
        return entity;
    }

    private static PaymentRecord PaymentFrom(TableEntity e) => new()
    {
        DossierId = e.PartitionKey,
        DocumentId = e.Required("DocumentId"),
        PaymentId = e.Required("PaymentId"),
        Kind = e.GetEnum<SettlementKind>("Kind"),
        Amount = EntityColumns.ToDecimal(e.GetString("Amount")) ?? 0m,
        Currency = e.GetString("Currency") ?? "EUR",
        Date = EntityColumns.ToDateOnly(e.GetString("Date")) ?? default,
        Source = e.Required("Source"),
        SourceName = e.Required("SourceName"),
        SourceReference = e.GetString("SourceReference"),
        Status = e.GetEnum<PaymentRecordStatus>("Status"),
        ConfirmedBy = e.GetString("ConfirmedBy"),
        RecordedAt = e.GetInstant("RecordedAt"),
        UpdatedAt = e.GetInstant("UpdatedAt"),
        ETag = e.ETag.ToString(),
    };
}

/// <summary>
/// Payment-poll slot claims: one row per dossier (partition) and slot (row). The first firing inserts it (only one insert
/// wins, across hosts); once its polls are queued the row says so. A row left "claimed" by a firing that crashed before
/// queuing is taken over, with an ETag-guarded replace, after a while.
/// </summary>
public sealed class TablePollSlotClaims : IPollSlotClaims
{
    private readonly KoppelTable _table;

    public TablePollSlotClaims(TableClient table) => _table = new KoppelTable(table);

    public async Task<bool> TryClaimAsync(string dossierId, string slotKey, DateTimeOffset now, TimeSpan takeOverAfter, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Ensure(dossierId, nameof(dossierId));
        var row = TableKeys.Ensure(slotKey, nameof(slotKey));
        var claim = new TableEntity(partition, row) { ["ClaimedAt"] = now, ["Queued"] = false };
        if (await _table.TryAddAsync(claim, cancellationToken) is not null)
        {
            return true;
        }

        var existing = await _table.GetAsync(partition, row, cancellationToken);
        if (existing is null || existing.GetBoolean("Queued") == true || now - existing.GetInstant("ClaimedAt") < takeOverAfter)
        {
            return false;
        }

        try
        {
            await _table.ReplaceIfMatchAsync(claim, existing.ETag.ToString(), "poll slot claim", cancellationToken);
            return true;
        }
        catch (ConcurrencyConflictException)
        {
            return false; // another firing took it over first
        }
    }

    public async Task MarkQueuedAsync(string dossierId, string slotKey, CancellationToken cancellationToken)
    {
        var partition = TableKeys.Ensure(dossierId, nameof(dossierId));
        var row = TableKeys.Ensure(slotKey, nameof(slotKey));
        await _table.UpsertAsync(new TableEntity(partition, row) { ["ClaimedAt"] = DateTimeOffset.UtcNow, ["Queued"] = true }, cancellationToken);
    }
}
