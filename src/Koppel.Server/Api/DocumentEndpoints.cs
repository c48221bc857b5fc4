using System.Security.Claims;
using Koppel.Core.Domain;
using Koppel.Core.Errors;
using Koppel.Core.Export;
using Koppel.Core.Ingestion;
using Koppel.Core.Ports;
using Koppel.Core.Queries;
using Koppel.Server.Security;

namespace Koppel.Server.Api;

internal static class DocumentEndpoints
{
    public static void MapDocumentEndpoints(this RouteGroupBuilder api)
    {
        var dossier = api.MapGroup("/dossiers/{dossierId}");

        // Upload: the body is the file; the name comes from ?fileName=. It goes through the inbox like a dropped file.
        dossier.MapPost("/documents", async (string dossierId, string? fileName, HttpRequest request, IInbox inbox, IngestHandler ingest, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var id = DossierRoute.Canonical(dossierId);
            user.ToCaller().EnsureCanAccess(id);
            var name = Path.GetFileName(fileName ?? string.Empty);
            if (string.IsNullOrWhiteSpace(name) || name.StartsWith('.'))
            {
                throw new RequestValidationException("fileName", "Give the file's name as ?fileName=invoice.xml (no folders, not starting with a dot).");
            }

            var item = await inbox.PutAsync(id, $"{DateTimeOffset.UtcNow:yyyyMMddHHmmssfff}-{name}", request.Body, ct);
            var result = await ingest.HandleAsync(item, ct);
            var body = new IngestResponse(result.Outcome.ToString(), result.DocumentId, result.Kind, result.DeliveriesQueued, result.Reason);
            return result.Outcome switch
            {
                IngestOutcome.Accepted => Results.Created($"/api/dossiers/{id}/documents/{result.DocumentId}", body),
                IngestOutcome.Duplicate => Results.Ok(body),
                IngestOutcome.Gone => Results.Conflict(body),
                _ => Results.UnprocessableEntity(body),
            };
        });
        dossier.MapGet("/documents", async (string dossierId, DateTimeOffset? from, DateTimeOffset? to, DocumentQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await queries.ListDocumentsAsync(DossierRoute.Canonical(dossierId), from, to, user.ToCaller(), ct)));
        dossier.MapGet("/documents/{documentId}", async (string dossierId, string documentId, DocumentQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var status = await queries.GetDocumentAsync(DossierRoute.Canonical(dossierId), documentId, user.ToCaller(), ct);
            return Results.Ok(new DocumentResponse(status.Document, status.Deliveries.Select(DeliveryResponse.From).ToList()));
        });
        dossier.MapGet("/documents/{documentId}/history", async (string dossierId, string documentId, DocumentQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await queries.GetHistoryAsync(DossierRoute.Canonical(dossierId), documentId, user.ToCaller(), ct)));
        dossier.MapGet("/documents/{documentId}/content", async (string dossierId, string documentId, DocumentQueries queries, IDocumentArchive archive, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var status = await queries.GetDocumentAsync(DossierRoute.Canonical(dossierId), documentId, user.ToCaller(), ct);
            var content = await archive.OpenReadAsync(status.Document.Id, ct);
            var type = status.Document.Format == Formats.Sniffing.DocumentFormat.Pdf ? "application/pdf" : "application/octet-stream";
            return Results.Stream(content, type, status.Document.FileName);
        });
        dossier.MapGet("/deliveries", async (string dossierId, DeliveryStatus? status, DocumentQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok((await queries.ListDeliveriesAsync(DossierRoute.Canonical(dossierId), status, user.ToCaller(), ct)).Select(DeliveryResponse.From)));
        dossier.MapGet("/runs", async (string dossierId, int? max, DocumentQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok((await queries.ListRunsAsync(DossierRoute.Canonical(dossierId), max ?? 100, user.ToCaller(), ct)).Select(RunResponse.From)));
        dossier.MapGet("/runs/{runId}", async (string dossierId, string runId, ExportHandler exports, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(RunResponse.From(await exports.GetRunAsync(DossierRoute.Canonical(dossierId), runId, user.ToCaller(), ct))));
        dossier.MapPost("/exports", async (string dossierId, ExportRequest request, ExportHandler exports, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var id = DossierRoute.Canonical(dossierId);
            var run = await exports.StartAsync(id, request, user.ToCaller(), ct);
            return Results.Accepted($"/api/dossiers/{id}/runs/{run.RunId}", RunResponse.From(run));
        });
        dossier.MapGet("/quarantine", async (string dossierId, DocumentQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await queries.ListQuarantineAsync(DossierRoute.Canonical(dossierId), user.ToCaller(), ct)));
        api.MapGet("/quarantine", async (DocumentQueries queries, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await queries.ListQuarantineAsync(null, user.ToCaller(), ct)));
    }
}
