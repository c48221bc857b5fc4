using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Export;
using Koppel.Core.Ingestion;
using Koppel.Core.Ports;
using Koppel.Core.Queries;
using Koppel.Core.Security;
using Microsoft.AspNetCore.Http;

namespace Koppel.Api;

/// <summary>
/// Koppel's HTTP API as one method per route: canonicalise the dossier id, call the Core, shape the answer.
/// The self-hosted server's endpoints and the Functions HTTP triggers are one-line calls into this class, so the two
/// front doors cannot drift apart. Authentication stays with the host; it hands in the <see cref="Caller"/>.
/// </summary>
public sealed class KoppelApi(
    DossierService dossiers,
    ConnectionService connections,
    ConsentService consents,
    ConnectorCatalog catalog,
    DocumentQueries queries,
    ExportHandler exports,
    IngestHandler ingest,
    IInbox inbox,
    IDocumentArchive archive,
    QuarantineService quarantine,
    PageTokens pages,
    Core.Payments.PaymentQueries payments,
    Core.Payments.PaymentPollScheduler paymentPolls,
    AdministrationImportService administrations,
    Core.Relations.RelationService relations,
    Core.Delivery.DeadLetterActions deadLetters,
    TimeProvider clock)
{
    public IResult ListConnectors() => Results.Ok(catalog.Descriptors);

    /// <summary>The dossiers the caller may see, a page at a time; the token is bound to the caller's set of dossiers.</summary>
    public async Task<IResult> ListDossiersAsync(PageQuery page, Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var scope = "dossiers|" + (caller.AllDossiers ? "*" : string.Join(',', caller.Dossiers.Order(StringComparer.Ordinal)));
        return Results.Ok(pages.Answer(await dossiers.ListPageAsync(caller, pages.Read(page, scope), ct), d => d, scope));
    }

    public async Task<IResult> CreateDossierAsync(DossierInput input, Caller caller, CancellationToken ct)
    {
        var created = await dossiers.CreateAsync(input, caller, ct);
        return Results.Created($"/api/dossiers/{created.Id}", created);
    }

    public async Task<IResult> GetDossierAsync(string dossierId, Caller caller, CancellationToken ct) =>
        Results.Ok(await dossiers.GetAsync(DossierRoute.Canonical(dossierId), caller, ct));

    public async Task<IResult> UpdateDossierAsync(string dossierId, DossierInput input, Caller caller, CancellationToken ct) =>
        Results.Ok(await dossiers.UpdateAsync(DossierRoute.Canonical(dossierId), input, caller, ct));

    public async Task<IResult> DeleteDossierAsync(string dossierId, Caller caller, CancellationToken ct)
    {
        await dossiers.DeleteAsync(DossierRoute.Canonical(dossierId), caller, ct);
        return Results.NoContent();
    }

    public async Task<IResult> ListConnectionsAsync(string dossierId, PageQuery page, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        var scope = $"connections|{id}";
        return Results.Ok(pages.Answer(await connections.ListPageAsync(id, pages.Read(page, scope), caller, ct), ConnectionResponse.From, scope));
    }

    /// <summary>Connections that need looking at, across the dossiers the caller may see; the token is bound to that set.</summary>
    public async Task<IResult> ListConnectionsNeedingAttentionAsync(PageQuery page, Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var scope = "attention|" + (caller.AllDossiers ? "*" : string.Join(',', caller.Dossiers.Order(StringComparer.Ordinal)));
        return Results.Ok(pages.Answer(await connections.ListNeedingAttentionPageAsync(pages.Read(page, scope), caller, ct), ConnectionResponse.From, scope));
    }

    public Task<IResult> CreateConnectionAsync(string dossierId, ConnectionInput input, Caller caller, CancellationToken ct) =>
        CreateConnectionAsync(dossierId, input, test: false, caller, ct);

    /// <summary>
    /// Creates a connection. With <paramref name="test"/> (<c>?test=true</c>) the connection test runs on the new settings
    /// first: it passes and the answer carries its result under <c>test</c>, or it fails and the answer is a 422 with its
    /// message and nothing is saved. A wrong field is a 400 naming it either way.
    /// </summary>
    public async Task<IResult> CreateConnectionAsync(string dossierId, ConnectionInput input, bool test, Caller caller, CancellationToken ct)
    {
        var created = await connections.CreateAsync(DossierRoute.Canonical(dossierId), input, test, caller, ct);
        return Results.Created($"/api/dossiers/{created.Connection.DossierId}/connections/{created.Connection.Id}", ConnectionResponse.From(created));
    }

    public async Task<IResult> GetConnectionAsync(string dossierId, string connectionId, Caller caller, CancellationToken ct) =>
        Results.Ok(ConnectionResponse.From(await connections.GetAsync(DossierRoute.Canonical(dossierId), connectionId, caller, ct)));

    public Task<IResult> UpdateConnectionAsync(string dossierId, string connectionId, ConnectionInput input, Caller caller, CancellationToken ct) =>
        UpdateConnectionAsync(dossierId, connectionId, input, test: false, caller, ct);

    /// <summary>Updates a connection; <c>?test=true</c> as for <see cref="CreateConnectionAsync(string, ConnectionInput, bool, Caller, CancellationToken)"/>: a failed test changes nothing.</summary>
    public async Task<IResult> UpdateConnectionAsync(string dossierId, string connectionId, ConnectionInput input, bool test, Caller caller, CancellationToken ct) =>
        Results.Ok(ConnectionResponse.From(await connections.UpdateAsync(DossierRoute.Canonical(dossierId), connectionId, input, test, caller, ct)));

    public async Task<IResult> DeleteConnectionAsync(string dossierId, string connectionId, Caller caller, CancellationToken ct)
    {
        await connections.DeleteAsync(DossierRoute.Canonical(dossierId), connectionId, caller, ct);
        return Results.NoContent();
    }

    public async Task<IResult> TestConnectionAsync(string dossierId, string connectionId, Caller caller, CancellationToken ct) =>
        Results.Ok(await connections.TestAsync(DossierRoute.Canonical(dossierId), connectionId, caller, ct));

    /// <summary>
    /// Starts the OAuth consent of a connection (Exact Online): answers the provider URL the user's browser must open.
    /// The <c>state</c> in it is sealed to this dossier and connection.
    /// </summary>
    public async Task<IResult> StartConsentAsync(string dossierId, string connectionId, Caller caller, CancellationToken ct) =>
        Results.Ok(await consents.StartAsync(DossierRoute.Canonical(dossierId), connectionId, caller, ct));

    /// <summary>
    /// The consent callback: the provider redirected the user's browser back with <c>code</c> and <c>state</c>. The
    /// state decides the connection; the tokens go to the secret store and are never part of the answer.
    /// </summary>
    public async Task<IResult> CompleteConsentAsync(ConsentCallbackInput input, Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(input);
        return Results.Ok(await consents.CompleteAsync(input.Code, input.State, caller, ct));
    }

    private const int MaxFileNameLength = 200;

    /// <summary>Upload: the body is the file, the name comes from ?fileName=. It goes through the inbox like a dropped file.</summary>
    public async Task<IResult> UploadDocumentAsync(string dossierId, string? fileName, Stream content, Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var id = DossierRoute.Canonical(dossierId);
        caller.EnsureCanAccess(id);
        var name = Path.GetFileName(fileName ?? string.Empty);
        if (string.IsNullOrWhiteSpace(name) || name.StartsWith('.') || name.Any(char.IsControl) || name.Length > MaxFileNameLength)
        {
            throw new RequestValidationException("fileName", $"Give the file's name as ?fileName=invoice.xml: no folders, not starting with a dot, no control characters, at most {MaxFileNameLength} characters.");
        }

        var item = await inbox.PutAsync(id, $"{clock.GetUtcNow():yyyyMMddHHmmssfff}-{name}", content, ct);
        return IngestAnswer(id, await ingest.HandleAsync(item, ct));
    }

    /// <summary>The refused bytes of a quarantined file, for the owner to look at or fix.</summary>
    public async Task<IResult> DownloadQuarantinedAsync(string? path, Caller caller, CancellationToken ct)
    {
        var (file, content) = await quarantine.OpenAsync(path ?? string.Empty, caller, ct);
        return Results.Stream(content, "application/octet-stream", Path.GetFileName(file.Reason.OriginalPath));
    }

    /// <summary>Ingests a quarantined file again (e.g. once its dossier exists); answers like an upload.</summary>
    public async Task<IResult> ReingestQuarantinedAsync(string? path, string? dossierId, Caller caller, CancellationToken ct)
    {
        var target = dossierId is null ? null : DossierRoute.Canonical(dossierId);
        var result = await quarantine.ReingestAsync(path ?? string.Empty, target, caller, ct);
        return IngestAnswer(result.DossierId ?? target ?? string.Empty, result);
    }

    private static IResult IngestAnswer(string id, IngestResult result)
    {
        var body = new IngestResponse(result.Outcome.ToString(), result.DocumentId, result.Kind, result.DeliveriesQueued, result.Reason);
        return result.Outcome switch
        {
            IngestOutcome.Accepted => Results.Created($"/api/dossiers/{id}/documents/{result.DocumentId}", body),
            IngestOutcome.Duplicate => Results.Ok(body),
            IngestOutcome.Gone => Results.Conflict(body),
            _ => Results.UnprocessableEntity(body),
        };
    }

    /// <summary>Documents received in [from, to), a page at a time in document id order (not by time).</summary>
    public async Task<IResult> ListDocumentsAsync(string dossierId, DateTimeOffset? from, DateTimeOffset? to, PageQuery page, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        var scope = FormattableString.Invariant($"documents|{id}|{from?.UtcTicks}|{to?.UtcTicks}");
        return Results.Ok(pages.Answer(await queries.ListDocumentsAsync(id, from, to, pages.Read(page, scope), caller, ct), d => d, scope));
    }

    public async Task<IResult> GetDocumentAsync(string dossierId, string documentId, Caller caller, CancellationToken ct)
    {
        var status = await queries.GetDocumentAsync(DossierRoute.Canonical(dossierId), documentId, caller, ct);
        return Results.Ok(new DocumentResponse(status.Document, status.Deliveries.Select(DeliveryResponse.From).ToList()));
    }

    public async Task<IResult> GetDocumentHistoryAsync(string dossierId, string documentId, PageQuery page, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        var scope = $"history|{id}|{documentId}";
        return Results.Ok(pages.Answer(await queries.GetHistoryAsync(id, documentId, pages.Read(page, scope), caller, ct), h => h, scope));
    }

    public async Task<IResult> GetDocumentContentAsync(string dossierId, string documentId, Caller caller, CancellationToken ct)
    {
        var status = await queries.GetDocumentAsync(DossierRoute.Canonical(dossierId), documentId, caller, ct);
        var content = await archive.OpenReadAsync(status.Document.Id, ct);
        var type = status.Document.Format == Formats.Sniffing.DocumentFormat.Pdf ? "application/pdf" : "application/octet-stream";
        return Results.Stream(content, type, status.Document.FileName);
    }

    public async Task<IResult> ListDeliveriesAsync(string dossierId, DeliveryStatus? status, PageQuery page, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        var scope = $"deliveries|{id}|{status}";
        return Results.Ok(pages.Answer(await queries.ListDeliveriesAsync(id, status, pages.Read(page, scope), caller, ct), DeliveryResponse.From, scope));
    }

    /// <summary>Retry of a dead-lettered or failed delivery: the same ledger line, back in the queue for a new round.</summary>
    public async Task<IResult> RetryDeliveryAsync(string dossierId, string deliveryId, Caller caller, CancellationToken ct) =>
        Results.Ok(DeliveryResponse.From(await deadLetters.RetryAsync(DossierRoute.Canonical(dossierId), deliveryId, caller, ct)));

    /// <summary>Discard of a dead-lettered or failed delivery: closed on purpose, with the reason in the history.</summary>
    public async Task<IResult> DiscardDeliveryAsync(string dossierId, string deliveryId, DiscardInput? input, Caller caller, CancellationToken ct) =>
        Results.Ok(DeliveryResponse.From(await deadLetters.DiscardAsync(DossierRoute.Canonical(dossierId), deliveryId, input?.Reason, caller, ct)));

    /// <summary>The run log, newest first, a page at a time.</summary>
    public async Task<IResult> ListRunsAsync(string dossierId, PageQuery page, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        var scope = $"runs|{id}";
        return Results.Ok(pages.Answer(await queries.ListRunsAsync(id, pages.Read(page, scope), caller, ct), RunResponse.From, scope));
    }

    public async Task<IResult> GetRunAsync(string dossierId, string runId, Caller caller, CancellationToken ct) =>
        Results.Ok(RunResponse.From(await exports.GetRunAsync(DossierRoute.Canonical(dossierId), runId, caller, ct)));

    /// <summary>
    /// Starts an export: 202 with the queued run. With <c>dryRun: true</c> nothing is queued and no run recorded: 200 with
    /// what it would send to which connection and what it would skip as delivered already.
    /// </summary>
    public async Task<IResult> StartExportAsync(string dossierId, ExportRequest request, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        if (request is { DryRun: true })
        {
            return Results.Ok(await exports.PreviewAsync(id, request, caller, ct));
        }

        var run = await exports.StartAsync(id, request, caller, ct);
        return Results.Accepted($"/api/dossiers/{id}/runs/{run.RunId}", RunResponse.From(run));
    }

    /// <summary>The payments recorded for a dossier (of one document when <paramref name="documentId"/> is given), a page at a time.</summary>
    public async Task<IResult> ListPaymentsAsync(string dossierId, string? documentId, PageQuery page, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        var scope = $"payments|{id}|{documentId}";
        return Results.Ok(pages.Answer(await payments.ListAsync(id, documentId, pages.Read(page, scope), caller, ct), PaymentResponse.From, scope));
    }

    /// <summary>
    /// "Add from accounting software", step 1: the administrations the connection's credentials reach, each with the
    /// enterprise number the provider gives and the dossier it would create or link to.
    /// </summary>
    public async Task<IResult> ListAdministrationsAsync(string dossierId, string connectionId, Caller caller, CancellationToken ct) =>
        Results.Ok(await administrations.ListAsync(DossierRoute.Canonical(dossierId), connectionId, caller, ct));

    /// <summary>
    /// Step 2: creates a dossier (or links the existing one with the same enterprise number) with a connection for each
    /// chosen administration. 200 with one result per choice (created, linked, already connected, refused with its reason).
    /// </summary>
    public async Task<IResult> ImportAdministrationsAsync(string dossierId, string connectionId, AdministrationImportRequest request, Caller caller, CancellationToken ct) =>
        Results.Ok(await administrations.ImportAsync(DossierRoute.Canonical(dossierId), connectionId, request?.Administrations, caller, ct));

    /// <summary>
    /// "Poll now": asks every connection of the dossier that can read payments which invoices are paid, outside the
    /// 07:00/14:00 schedule. 202 with the number of polls queued; their results appear in the run log. 409 when asked again
    /// within <c>Koppel:Payments:ManualPollInterval</c>.
    /// </summary>
    public async Task<IResult> PollPaymentsNowAsync(string dossierId, Caller caller, CancellationToken ct)
    {
        var dossier = await dossiers.GetAsync(DossierRoute.Canonical(dossierId), caller, ct);
        var queued = await paymentPolls.PollNowAsync(dossier, ct);
        return Results.Accepted($"/api/dossiers/{dossier.Id}/runs", new PaymentPollRequested(dossier.Id, queued));
    }

    /// <summary>Queues a sync of the connection's customers, suppliers, ledger accounts and VAT codes: 202, the run log tells the outcome.</summary>
    public async Task<IResult> SyncRelationsAsync(string dossierId, string connectionId, bool full, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        var job = await relations.RequestSyncAsync(id, connectionId, full, caller, ct);
        return Results.Accepted($"/api/dossiers/{id}/runs", RelationSyncResponse.From(job));
    }

    /// <summary>The dossier's synced customers and suppliers, searched by VAT number, enterprise number, IBAN or name (prefix), a page at a time.</summary>
    public async Task<IResult> ListRelationsAsync(string dossierId, Core.Relations.PartySearch search, PageQuery page, Caller caller, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(search);
        var id = DossierRoute.Canonical(dossierId);
        var scope = $"relations|{id}|{search.VatNumber}|{search.EnterpriseNumber}|{search.Iban}|{search.Name}|{search.ConnectionId}";
        return Results.Ok(pages.Answer(await relations.SearchAsync(id, search, pages.Read(page, scope), caller, ct), PartyResponse.From, scope));
    }

    public async Task<IResult> ListLedgerAccountsAsync(string dossierId, string? connectionId, PageQuery page, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        var scope = $"ledger-accounts|{id}|{connectionId}";
        return Results.Ok(pages.Answer(await relations.ListLedgerAccountsAsync(id, connectionId, pages.Read(page, scope), caller, ct), a => a, scope));
    }

    public async Task<IResult> ListVatCodesAsync(string dossierId, string? connectionId, PageQuery page, Caller caller, CancellationToken ct)
    {
        var id = DossierRoute.Canonical(dossierId);
        var scope = $"vat-codes|{id}|{connectionId}";
        return Results.Ok(pages.Answer(await relations.ListVatCodesAsync(id, connectionId, pages.Read(page, scope), caller, ct), c => c, scope));
    }

    /// <summary>The quarantine of one dossier, or of every dossier when <paramref name="dossierId"/> is null.</summary>
    public async Task<IResult> ListQuarantineAsync(string? dossierId, PageQuery page, Caller caller, CancellationToken ct)
    {
        var id = dossierId is null ? null : DossierRoute.Canonical(dossierId);
        var scope = $"quarantine|{id ?? "*"}";
        return Results.Ok(pages.Answer(await queries.ListQuarantineAsync(id, pages.Read(page, scope), caller, ct), q => q, scope));
    }
}
