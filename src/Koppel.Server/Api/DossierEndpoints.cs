using System.Security.Claims;
using Koppel.Api;
using Koppel.Core.Dossiers;
using Koppel.Server.Security;

namespace Koppel.Server.Api;

/// <summary>Dossier and connection routes; each one a call into <see cref="KoppelApi"/>, which the Functions app calls too.</summary>
internal static class DossierEndpoints
{
    public static void MapDossierEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/connectors", (KoppelApi koppel) => koppel.ListConnectors());
        api.MapGet("/connections/attention", (HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListConnectionsNeedingAttentionAsync(PageQuery.From(request), user.ToCaller(), ct));

        var dossiers = api.MapGroup("/dossiers");
        dossiers.MapGet("/", (HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListDossiersAsync(PageQuery.From(request), user.ToCaller(), ct));
        dossiers.MapPost("/", (DossierInput input, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.CreateDossierAsync(input, user.ToCaller(), ct));
        dossiers.MapGet("/{dossierId}", (string dossierId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDossierAsync(dossierId, user.ToCaller(), ct));
        dossiers.MapPut("/{dossierId}", (string dossierId, DossierInput input, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.UpdateDossierAsync(dossierId, input, user.ToCaller(), ct));
        dossiers.MapDelete("/{dossierId}", (string dossierId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.DeleteDossierAsync(dossierId, user.ToCaller(), ct));

        var connections = dossiers.MapGroup("/{dossierId}/connections");
        connections.MapGet("/", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListConnectionsAsync(dossierId, PageQuery.From(request), user.ToCaller(), ct));
        connections.MapPost("/", (string dossierId, ConnectionInput input, bool? test, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.CreateConnectionAsync(dossierId, input, test ?? false, user.ToCaller(), ct));
        connections.MapGet("/{connectionId}", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetConnectionAsync(dossierId, connectionId, user.ToCaller(), ct));
        connections.MapPut("/{connectionId}", (string dossierId, string connectionId, ConnectionInput input, bool? test, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.UpdateConnectionAsync(dossierId, connectionId, input, test ?? false, user.ToCaller(), ct));
        connections.MapDelete("/{connectionId}", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.DeleteConnectionAsync(dossierId, connectionId, user.ToCaller(), ct));
        connections.MapPost("/{connectionId}/test", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.TestConnectionAsync(dossierId, connectionId, user.ToCaller(), ct));
        connections.MapGet("/{connectionId}/administrations", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListAdministrationsAsync(dossierId, connectionId, user.ToCaller(), ct));
        connections.MapPost("/{connectionId}/administrations/import", (string dossierId, string connectionId, AdministrationImportRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ImportAdministrationsAsync(dossierId, connectionId, request, user.ToCaller(), ct));
        connections.MapPost("/{connectionId}/consent", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.StartConsentAsync(dossierId, connectionId, user.ToCaller(), ct));

        // The OAuth redirect lands at the platform (the redirect URI registered at the provider), which hands code and
        // state on here with its own credentials; the sealed state names the dossier and connection.
        api.MapPost("/oauth/callback", (ConsentCallbackInput input, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.CompleteConsentAsync(input, user.ToCaller(), ct));
    }
}
