using System.Collections.Concurrent;
using System.Diagnostics;
using Koppel.Core.Delivery;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Koppel.Core.Runs;
using Koppel.Core.Telemetry;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Koppel.Core.Ingestion;

public enum IngestOutcome
{
    Accepted,
    Duplicate,
    Quarantined,

    /// <summary>The file was no longer in the inbox: another pick-up handled it already.</summary>
    Gone,
}

public sealed record IngestResult(IngestOutcome Outcome, string? DossierId, string? DocumentId, DocumentKind? Kind, int DeliveriesQueued, QuarantineReason? Reason);

/// <summary>
/// Takes one file from the inbox to the archive (or the quarantine) and queues its deliveries.
/// Every step is idempotent and the inbox file is deleted last, so a crash anywhere is repaired by running again.
/// </summary>
public sealed class IngestHandler(
    IInbox inbox,
    IDocumentArchive archive,
    IQuarantine quarantine,
    IDossierRepository dossiers,
    IConnectionRepository connections,
    IDocumentRepository documents,
    IDocumentReader reader,
    DeliveryDispatcher dispatcher,
    RunLogWriter runLog,
    TimeProvider clock,
    IOptions<IngestOptions> options,
    ILogger<IngestHandler> logger,
    Payments.PaymentIntake? payments = null)
{
    private readonly IngestOptions _options = options.Value;

    // An API upload ingests at once while the poller may list the same file: both share one run instead of racing.
    private readonly ConcurrentDictionary<string, Lazy<Task<IngestResult>>> _inFlight = new(StringComparer.Ordinal);

    public async Task<IngestResult> HandleAsync(InboxItem item, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(item);
        var run = _inFlight.GetOrAdd(item.Path, _ => new Lazy<Task<IngestResult>>(() => IngestAsync(item, cancellationToken)));
        try
        {
            return await run.Value;
        }
        finally
        {
            _inFlight.TryRemove(new KeyValuePair<string, Lazy<Task<IngestResult>>>(item.Path, run));
        }
    }

    private async Task<IngestResult> IngestAsync(InboxItem item, CancellationToken cancellationToken)
    {
        // The first span of a document's trace; its deliveries' queue messages carry this trace on (DeliveryRequest.TraceParent).
        using var activity = KoppelTelemetry.StartIngest(item.Path);
        var startedAt = clock.GetUtcNow();
        var dossier = await FindDossierAsync(item.DossierSegment, cancellationToken);
        if (dossier is null)
        {
            // Kept under the enterprise number it was dropped for (when it is one), so the file shows in that dossier's
            // quarantine and run log and can be ingested again once the dossier exists.
            var meantFor = EnterpriseNumber.TryParse(item.DossierSegment, out var number, out _) ? number.Value.Value : null;
            return await QuarantineAsync(item, null, meantFor, QuarantineCodes.UnknownDossier, $"No dossier '{item.DossierSegment}' exists; create it first or drop the file under inbox/{{enterprise number}}/.", "path", startedAt, cancellationToken);
        }

        if (item.Size > _options.MaxDocumentBytes)
        {
            return await QuarantineAsync(item, null, dossier.Id, QuarantineCodes.TooLarge, $"{item.FileName} has {item.Size:N0} bytes; the limit is {_options.MaxDocumentBytes:N0}.", null, startedAt, cancellationToken);
        }

        // The file is read once, into a spool: validated from it and archived from it, so what is archived is exactly
        // what was validated even if the producer replaces the file meanwhile. Attachments are spooled too and archived
        // only with an accepted document, so a quarantined one leaves nothing behind in the archive.
        SpooledContent spooled;
        try
        {
            await using var source = await inbox.OpenReadAsync(item.Path, cancellationToken);
            spooled = await SpooledContent.CaptureAsync(source, _options.MaxDocumentBytes, item.FileName, cancellationToken);
        }
        catch (FileNotFoundException)
        {
            return new IngestResult(IngestOutcome.Gone, null, null, null, 0, null);
        }
        catch (DocumentTooLargeException ex)
        {
            return await QuarantineAsync(item, null, dossier.Id, QuarantineCodes.TooLarge, ex.Message, null, startedAt, cancellationToken);
        }

        var attachments = new List<(SpooledContent Content, string MimeType)>();
        try
        {
            return await AcceptAsync(item, dossier, spooled, attachments, startedAt, cancellationToken);
        }
        finally
        {
            foreach (var (content, _) in attachments)
            {
                await content.DisposeAsync();
            }

            await spooled.DisposeAsync();
        }
    }

    private async Task<IngestResult> AcceptAsync(InboxItem item, Dossier dossier, SpooledContent spooled, List<(SpooledContent Content, string MimeType)> attachments, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        if (spooled.Size == 0)
        {
            return await QuarantineAsync(item, spooled, dossier.Id, QuarantineCodes.EmptyFile, $"{item.FileName} is empty (0 bytes).", "byte 0", startedAt, cancellationToken);
        }

        DocumentFacts facts;
        DocumentKind kind;
        try
        {
            await using (var content = spooled.OpenRead())
            {
                facts = await reader.ReadAsync(content, item.FileName, SpoolAttachmentAsync, cancellationToken);
            }

            if (facts.FatalFindings.Count > 0)
            {
                throw new DocumentRejectedException(QuarantineCodes.Invalid, $"{item.FileName} breaks {facts.FatalFindings.Count} rule(s): {string.Join("; ", facts.FatalFindings.Take(10))}");
            }

            kind = DocumentClassifier.Classify(facts, dossier, item.Path, _options);
        }
        catch (DocumentRejectedException ex)
        {
            return await QuarantineAsync(item, spooled, dossier.Id, ex.Code, ex.Message, ex.Location, startedAt, cancellationToken);
        }

        // Attachments first: a document record never names an attachment the archive does not hold.
        foreach (var (content, mimeType) in attachments)
        {
            await archive.StoreAsync(content, mimeType, cancellationToken);
        }

        var archived = await archive.StoreAsync(spooled, ContentTypeOf(facts), cancellationToken);
        var record = new DocumentRecord
        {
            DossierId = dossier.Id,
            Id = archived.ContentId,
            FileName = item.FileName,
            Format = facts.Format,
            Kind = kind,
            Size = archived.Size,
            Number = facts.Number,
            IssueDate = facts.IssueDate,
            Currency = facts.Currency,
            PayableAmount = facts.PayableAmount,
            CounterpartyName = kind == DocumentKind.SalesInvoice ? facts.Customer?.Name : facts.Supplier?.Name,
            CounterpartyVat = kind == DocumentKind.SalesInvoice ? facts.Customer?.VatNumber : facts.Supplier?.VatNumber,
            Attachments = facts.Attachments,
            Source = item.Path,
            ReceivedAt = clock.GetUtcNow(),
        };

        var isNew = await documents.TryAddAsync(record, cancellationToken);
        HistoryEntry[] received = [];
        if (!isNew)
        {
            // The same bytes again: one document. Its deliveries exist (or are being repaired); only the inbox copy goes.
            record = await documents.GetAsync(dossier.Id, archived.ContentId, cancellationToken) ?? record;
        }
        else
        {
            received =
            [
                new HistoryEntry
                {
                    DossierId = dossier.Id,
                    DocumentId = record.Id,
                    Event = HistoryEvent.Received,
                    At = record.ReceivedAt,
                    Detail = $"Received {record.FileName} ({kind}{(record.Number is null ? string.Empty : " " + record.Number)}) from {item.Path}.",
                },
            ];
        }

        var targets = new List<Connection>();
        await foreach (var connection in connections.ListAsync(dossier.Id, cancellationToken))
        {
            if (connection.Wants(kind))
            {
                targets.Add(connection);
            }
        }

        // Dispatch also on a duplicate: after a crash between "record added" and "queued", this is what repairs it.
        var entries = await dispatcher.DispatchAsync(record, targets, runId: null, generation: null, actor: "system", cancellationToken, earlierEvents: received);

        // Sales invoices are followed for their payment; a bank statement may pay some at once. Before the inbox copy
        // goes, so a crash here is repaired by the next pick-up (both steps are idempotent).
        if (payments is not null)
        {
            await payments.OnAcceptedAsync(record, facts.PaymentReference, facts.BillingReferences, cancellationToken);
        }

        await inbox.DeleteAsync(item.Path, cancellationToken);

        var queued = entries.Count(e => !e.IsFinal);
        Activity.Current?.SetTag(KoppelTelemetry.Tags.DossierId, dossier.Id).SetTag(KoppelTelemetry.Tags.DocumentId, record.Id).SetTag(KoppelTelemetry.Tags.Kind, kind.ToString());
        if (isNew)
        {
            KoppelTelemetry.Metrics.DocumentsIngested.Add(1, new KeyValuePair<string, object?>(KoppelTelemetry.Tags.Kind, kind.ToString()));
        }

        var text = isNew
            ? $"{item.FileName}: {kind}{(record.Number is null ? string.Empty : " " + record.Number)}, queued for {queued} connection(s)."
            : $"{item.FileName}: the same bytes as document {record.Id[..12]} received earlier; not added again.";
        await runLog.RecordAsync(dossier.Id, RunCategory.Ingest, RunStatus.Succeeded, text, 1, startedAt: startedAt, cancellationToken: cancellationToken);
        logger.LogInformation("Ingested {Path} as {Kind} document {DocumentId} for dossier {DossierId}; {Queued} deliveries queued", item.Path, kind, record.Id, dossier.Id, queued);
        return new IngestResult(isNew ? IngestOutcome.Accepted : IngestOutcome.Duplicate, dossier.Id, record.Id, kind, queued, null);

        async Task<ArchivedAttachment> SpoolAttachmentAsync(string fileName, string mimeType, Stream content, CancellationToken ct)
        {
            var attachment = await SpooledContent.CaptureAsync(content, _options.MaxDocumentBytes, $"{item.FileName} attachment {fileName}", ct);
            attachments.Add((attachment, mimeType));
            return new ArchivedAttachment(fileName, mimeType, attachment.ContentId, attachment.Size);
        }
    }

    private async Task<Dossier?> FindDossierAsync(string segment, CancellationToken cancellationToken) =>
        EnterpriseNumber.TryParse(segment, out var number, out _)
            ? await dossiers.GetRecentAsync(number.Value.Value, cancellationToken)
            : null;

    /// <summary>Quarantines the spooled bytes when the file was read already (exactly what was judged), else the inbox file.</summary>
    private async Task<IngestResult> QuarantineAsync(InboxItem item, SpooledContent? spooled, string? dossierId, string code, string message, string? location, DateTimeOffset startedAt, CancellationToken cancellationToken)
    {
        var reason = new QuarantineReason
        {
            Code = code,
            Message = message,
            Location = location,
            OriginalPath = item.Path,
            DossierId = dossierId,
            At = clock.GetUtcNow(),
        };
        try
        {
            await using var content = spooled?.OpenRead() ?? await inbox.OpenReadAsync(item.Path, cancellationToken);
            await quarantine.PutAsync(content, reason, cancellationToken);
        }
        catch (FileNotFoundException) when (spooled is null)
        {
            return new IngestResult(IngestOutcome.Gone, null, null, null, 0, null);
        }

        await inbox.DeleteAsync(item.Path, cancellationToken);
        KoppelTelemetry.Metrics.DocumentsQuarantined.Add(1, new KeyValuePair<string, object?>(KoppelTelemetry.Tags.QuarantineCode, code));
        KoppelTelemetry.Fail(Activity.Current?.SetTag(KoppelTelemetry.Tags.DossierId, dossierId).SetTag(KoppelTelemetry.Tags.QuarantineCode, code), "quarantined", code);
        await runLog.RecordAsync(dossierId ?? "_unknown", RunCategory.Ingest, RunStatus.Failed, $"{item.FileName} quarantined ({code}): {message}", 1, startedAt: startedAt, cancellationToken: cancellationToken);
        logger.LogWarning("Quarantined {Path}: {Code} {Message} at {Location}", item.Path, code, message, location);
        return new IngestResult(IngestOutcome.Quarantined, dossierId, null, null, 0, reason);
    }

    private static string ContentTypeOf(DocumentFacts facts) => facts.Format switch
    {
        Formats.Sniffing.DocumentFormat.Pdf => "application/pdf",
        Formats.Sniffing.DocumentFormat.Coda => "text/plain",
        _ => "application/xml",
    };
}
