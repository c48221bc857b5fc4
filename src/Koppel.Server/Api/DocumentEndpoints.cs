using System.Security.Claims;
using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Domain;
using Koppel.Core.Export;
using Koppel.Core.Ingestion;
using Koppel.Core.Ports;
using Koppel.Core.Relations;
using Koppel.Server.Security;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;

namespace Koppel.Server.Api;

/// <summary>Document, delivery, run, export and quarantine routes; each one a call into <see cref="KoppelApi"/>.</summary>
internal static class DocumentEndpoints
{
    public static void MapDocumentEndpoints(this RouteGroupBuilder api)
    {
        var dossier = api.MapGroup("/dossiers/{dossierId}");
        dossier.MapPost("/documents", (string dossierId, string? fileName, HttpRequest request, IOptions<IngestOptions> ingest, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
        {
            // One limit through every door: the documented document limit, not Kestrel's 30 MB default. The body is
            // streamed into the inbox, never buffered whole; a larger body is cut off with 413 and nothing is kept.
            if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = ingest.Value.MaxDocumentBytes;
            }

            return koppel.UploadDocumentAsync(dossierId, fileName, request.Body, user.ToCaller(), ct);
        })
            .Describe<IngestResponse>("UploadDocument", "Uploads a file (the body) named by ?fileName=: 201 accepted, 200 the same bytes again, 422 quarantined with its reason, 413 too large.", StatusCodes.Status201Created).Produces<IngestResponse>(StatusCodes.Status200OK).Produces<IngestResponse>(StatusCodes.Status422UnprocessableEntity).ProducesProblem(StatusCodes.Status413PayloadTooLarge).Accepts(typeof(Stream), isOptional: true, "*/*").WithTags("Documents");
        // Any file type is taken (the content is sniffed, not trusted by its header): the accepted type "*/*" documents the
        // raw body without making the router refuse an upload sent as text/plain or without a Content-Type.
        // Query values are read as the Functions app reads them (ApiQuery), so a value that does not parse is a 400 naming it.
        // Lists take ?pageSize= and ?continuationToken= (PageQuery) and answer { items, continuationToken }.
        dossier.MapGet("/documents", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListDocumentsAsync(dossierId, ApiQuery.Instant(request, "from"), ApiQuery.Instant(request, "to"), PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<DocumentRecord>>("ListDocuments", "Documents received, in document id order; ?from= and ?to= narrow by receipt.").WithTags("Documents");
        dossier.MapGet("/documents/{documentId}", (string dossierId, string documentId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDocumentAsync(dossierId, documentId, user.ToCaller(), ct))
            .Describe<DocumentResponse>("GetDocument", "A document and its deliveries.").WithTags("Documents");
        dossier.MapGet("/documents/{documentId}/history", (string dossierId, string documentId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDocumentHistoryAsync(dossierId, documentId, PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<HistoryEntry>>("GetDocumentHistory", "What happened to a document: received, queued, delivered with reference, failed because, paid.").WithTags("Documents");
        dossier.MapGet("/documents/{documentId}/content", (string dossierId, string documentId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDocumentContentAsync(dossierId, documentId, user.ToCaller(), ct))
            .Describe("GetDocumentContent", "The archived bytes of a document.", StatusCodes.Status200OK, "application/octet-stream").WithTags("Documents");
        dossier.MapGet("/documents/{documentId}/payments", (string dossierId, string documentId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListPaymentsAsync(dossierId, documentId, PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<PaymentResponse>>("ListDocumentPayments", "Payments recorded against one sales invoice.").WithTags("Payments");
        dossier.MapGet("/payments", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListPaymentsAsync(dossierId, null, PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<PaymentResponse>>("ListPayments", "Payments recorded for the dossier's sales invoices.").WithTags("Payments");
        dossier.MapPost("/payments/poll", (string dossierId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.PollPaymentsNowAsync(dossierId, user.ToCaller(), ct))
            .Describe<PaymentPollRequested>("PollPaymentsNow", "Polls every connection that reads payments now; 409 when asked again within the manual poll interval.", StatusCodes.Status202Accepted).WithTags("Payments");
        dossier.MapPost("/connections/{connectionId}/relations/sync", (string dossierId, string connectionId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.SyncRelationsAsync(dossierId, connectionId, ApiQuery.Flag(request, "full") ?? false, user.ToCaller(), ct))
            .Describe<RelationSyncResponse>("SyncRelations", "Queues a sync of the connection's customers, suppliers, ledger accounts and VAT codes (?full=true reads everything).", StatusCodes.Status202Accepted).WithTags("Relations");
        dossier.MapGet("/relations", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListRelationsAsync(dossierId, RelationQuery.From(request), PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<PartyResponse>>("ListRelations", "Synced customers and suppliers, searched by ?vat=, ?enterprise=, ?iban=, ?name= (prefix) or ?connectionId=.").WithTags("Relations");
        dossier.MapGet("/ledger-accounts", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListLedgerAccountsAsync(dossierId, ApiQuery.Text(request, "connectionId"), PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<LedgerAccount>>("ListLedgerAccounts", "Synced ledger accounts.").WithTags("Relations");
        dossier.MapGet("/vat-codes", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListVatCodesAsync(dossierId, ApiQuery.Text(request, "connectionId"), PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<VatCode>>("ListVatCodes", "Synced VAT codes.").WithTags("Relations");
        dossier.MapGet("/deliveries", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListDeliveriesAsync(dossierId, ApiQuery.Choice<DeliveryStatus>(request, "status"), PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<DeliveryResponse>>("ListDeliveries", "The delivery ledger; ?status= narrows it (e.g. DeadLettered).").WithTags("Deliveries");
        dossier.MapPost("/deliveries/{deliveryId}/retry", (string dossierId, string deliveryId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.RetryDeliveryAsync(dossierId, deliveryId, user.ToCaller(), ct))
            .Describe<DeliveryResponse>("RetryDelivery", "Sends a dead-lettered or failed delivery back to the queue for a new round of attempts (same delivery id: the connector still finds an earlier booking). 409 for any other status.").ProducesProblem(StatusCodes.Status409Conflict).WithTags("Deliveries");
        dossier.MapPost("/deliveries/{deliveryId}/discard", (string dossierId, string deliveryId, DiscardInput? input, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.DiscardDeliveryAsync(dossierId, deliveryId, input, user.ToCaller(), ct))
            .Describe<DeliveryResponse>("DiscardDelivery", "Closes a dead-lettered or failed delivery on purpose (status Discarded), with an optional reason kept in the document's history. 409 for any other status.").ProducesProblem(StatusCodes.Status409Conflict).WithTags("Deliveries").WithExample("""{"reason":"Booked by hand in the accounting package."}""");
        dossier.MapGet("/runs", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListRunsAsync(dossierId, PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<RunResponse>>("ListRuns", "The run log, newest first.").WithTags("Runs");
        dossier.MapGet("/runs/{runId}", (string dossierId, string runId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetRunAsync(dossierId, runId, user.ToCaller(), ct))
            .Describe<RunResponse>("GetRun", "One run with its counts.").WithTags("Runs");
        dossier.MapPost("/exports", (string dossierId, ExportRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.StartExportAsync(dossierId, request, user.ToCaller(), ct))
            .Describe<RunResponse>("StartExport", "Starts a manual export (documentIds, or from and to): 202 with the queued run. With dryRun true nothing is queued: 200 with what would be sent and what is skipped as delivered already.", StatusCodes.Status202Accepted).Produces<ExportPreview>(StatusCodes.Status200OK).WithTags("Runs").WithExample("""{"from":"2026-11-01T00:00:00+01:00","to":"2026-12-01T00:00:00+01:00","connectionId":null,"resend":false,"dryRun":true}""");
        dossier.MapGet("/quarantine", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListQuarantineAsync(dossierId, PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<QuarantinedFile>>("ListDossierQuarantine", "The dossier's refused files with their reasons.").WithTags("Quarantine");
        api.MapGet("/quarantine", (HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListQuarantineAsync(null, PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<QuarantinedFile>>("ListQuarantine", "Refused files of every dossier the caller may see.").WithTags("Quarantine");
        api.MapGet("/quarantine/content", (string? path, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.DownloadQuarantinedAsync(path, user.ToCaller(), ct))
            .Describe("DownloadQuarantined", "The refused bytes of a quarantined file (?path=).", StatusCodes.Status200OK, "application/octet-stream").WithTags("Quarantine");
        api.MapPost("/quarantine/reingest", (string? path, string? dossierId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ReingestQuarantinedAsync(path, dossierId, user.ToCaller(), ct))
            .Describe<IngestResponse>("ReingestQuarantined", "Ingests a quarantined file again (?path=, ?dossierId=), answered like an upload.", StatusCodes.Status201Created).Produces<IngestResponse>(StatusCodes.Status200OK).Produces<IngestResponse>(StatusCodes.Status422UnprocessableEntity).WithTags("Quarantine");
    }
}
