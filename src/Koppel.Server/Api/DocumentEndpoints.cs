using System.Security.Claims;
using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Domain;
using Koppel.Core.Export;
using Koppel.Server.Security;

namespace Koppel.Server.Api;

/// <summary>Document, delivery, run, export and quarantine routes; each one a call into <see cref="KoppelApi"/>.</summary>
internal static class DocumentEndpoints
{
    public static void MapDocumentEndpoints(this RouteGroupBuilder api)
    {
        var dossier = api.MapGroup("/dossiers/{dossierId}");
        dossier.MapPost("/documents", (string dossierId, string? fileName, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.UploadDocumentAsync(dossierId, fileName, request.Body, user.ToCaller(), ct));
        // Query values are read as the Functions app reads them (ApiQuery), so a value that does not parse is a 400 naming it.
        dossier.MapGet("/documents", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListDocumentsAsync(dossierId, ApiQuery.Instant(request, "from"), ApiQuery.Instant(request, "to"), user.ToCaller(), ct));
        dossier.MapGet("/documents/{documentId}", (string dossierId, string documentId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDocumentAsync(dossierId, documentId, user.ToCaller(), ct));
        dossier.MapGet("/documents/{documentId}/history", (string dossierId, string documentId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDocumentHistoryAsync(dossierId, documentId, user.ToCaller(), ct));
        dossier.MapGet("/documents/{documentId}/content", (string dossierId, string documentId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDocumentContentAsync(dossierId, documentId, user.ToCaller(), ct));
        dossier.MapGet("/deliveries", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListDeliveriesAsync(dossierId, ApiQuery.Choice<DeliveryStatus>(request, "status"), user.ToCaller(), ct));
        dossier.MapGet("/runs", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListRunsAsync(dossierId, ApiQuery.Number(request, "max"), user.ToCaller(), ct));
        dossier.MapGet("/runs/{runId}", (string dossierId, string runId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetRunAsync(dossierId, runId, user.ToCaller(), ct));
        dossier.MapPost("/exports", (string dossierId, ExportRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.StartExportAsync(dossierId, request, user.ToCaller(), ct));
        dossier.MapGet("/quarantine", (string dossierId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListQuarantineAsync(dossierId, user.ToCaller(), ct));
        api.MapGet("/quarantine", (KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListQuarantineAsync(null, user.ToCaller(), ct));
    }
}
