using System.Security.Claims;
using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Domain;
using Koppel.Core.Export;
using Koppel.Core.Ingestion;
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
        });
        // Query values are read as the Functions app reads them (ApiQuery), so a value that does not parse is a 400 naming it.
        // Lists take ?pageSize= and ?continuationToken= (PageQuery) and answer { items, continuationToken }.
        dossier.MapGet("/documents", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListDocumentsAsync(dossierId, ApiQuery.Instant(request, "from"), ApiQuery.Instant(request, "to"), PageQuery.From(request), user.ToCaller(), ct));
        dossier.MapGet("/documents/{documentId}", (string dossierId, string documentId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDocumentAsync(dossierId, documentId, user.ToCaller(), ct));
        dossier.MapGet("/documents/{documentId}/history", (string dossierId, string documentId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDocumentHistoryAsync(dossierId, documentId, PageQuery.From(request), user.ToCaller(), ct));
        dossier.MapGet("/documents/{documentId}/content", (string dossierId, string documentId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDocumentContentAsync(dossierId, documentId, user.ToCaller(), ct));
        dossier.MapGet("/documents/{documentId}/payments", (string dossierId, string documentId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListPaymentsAsync(dossierId, documentId, PageQuery.From(request), user.ToCaller(), ct));
        dossier.MapGet("/payments", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListPaymentsAsync(dossierId, null, PageQuery.From(request), user.ToCaller(), ct));
        dossier.MapPost("/payments/poll", (string dossierId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.PollPaymentsNowAsync(dossierId, user.ToCaller(), ct));
        dossier.MapGet("/deliveries", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListDeliveriesAsync(dossierId, ApiQuery.Choice<DeliveryStatus>(request, "status"), PageQuery.From(request), user.ToCaller(), ct));
        dossier.MapGet("/runs", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListRunsAsync(dossierId, PageQuery.From(request), user.ToCaller(), ct));
        dossier.MapGet("/runs/{runId}", (string dossierId, string runId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetRunAsync(dossierId, runId, user.ToCaller(), ct));
        dossier.MapPost("/exports", (string dossierId, ExportRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.StartExportAsync(dossierId, request, user.ToCaller(), ct));
        dossier.MapGet("/quarantine", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListQuarantineAsync(dossierId, PageQuery.From(request), user.ToCaller(), ct));
        api.MapGet("/quarantine", (HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListQuarantineAsync(null, PageQuery.From(request), user.ToCaller(), ct));
        api.MapGet("/quarantine/content", (string? path, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.DownloadQuarantinedAsync(path, user.ToCaller(), ct));
        api.MapPost("/quarantine/reingest", (string? path, string? dossierId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ReingestQuarantinedAsync(path, dossierId, user.ToCaller(), ct));
    }
}
