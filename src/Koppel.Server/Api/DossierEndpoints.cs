using System.Security.Claims;
using Koppel.Api;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Server.Security;

namespace Koppel.Server.Api;

/// <summary>Dossier and connection routes; each one a call into <see cref="KoppelApi"/>, which the Functions app calls too.</summary>
internal static class DossierEndpoints
{
    public static void MapDossierEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/connectors", (KoppelApi koppel) => koppel.ListConnectors())
            .Describe<IReadOnlyCollection<ConnectorDescriptor>>("ListConnectors", "The connector catalogue: each provider's document kinds, capabilities and settings (which are secret).").WithTags("Connectors");
        api.MapGet("/connections/attention", (HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListConnectionsNeedingAttentionAsync(PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<ConnectionResponse>>("ListConnectionsNeedingAttention", "Connections of the caller's dossiers that are broken, need consent, ran out of quota, are degraded or unreachable, or carry a warning.").WithTags("Connections");

        var dossiers = api.MapGroup("/dossiers");
        dossiers.MapGet("/", (HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListDossiersAsync(PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<Dossier>>("ListDossiers", "The dossiers the caller may see, a page at a time.").WithTags("Dossiers");
        dossiers.MapPost("/", (DossierInput input, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.CreateDossierAsync(input, user.ToCaller(), ct))
            .Describe<Dossier>("CreateDossier", "Creates a dossier (enterprise number checked with mod 97).", StatusCodes.Status201Created).WithTags("Dossiers").WithExample("""{"name":"Demo Bakkerij BV","enterpriseNumber":"0403.170.701","vatNumber":"BE0403170701","contactEmail":"boekhouding@bakkerij.example","timeZone":"Europe/Brussels"}""");
        dossiers.MapGet("/{dossierId}", (string dossierId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetDossierAsync(dossierId, user.ToCaller(), ct))
            .Describe<Dossier>("GetDossier", "One dossier.").WithTags("Dossiers");
        dossiers.MapPut("/{dossierId}", (string dossierId, DossierInput input, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.UpdateDossierAsync(dossierId, input, user.ToCaller(), ct))
            .Describe<Dossier>("UpdateDossier", "Changes a dossier's name, contact, time zone or payment schedule.").WithTags("Dossiers");
        dossiers.MapDelete("/{dossierId}", (string dossierId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.DeleteDossierAsync(dossierId, user.ToCaller(), ct))
            .Describe("DeleteDossier", "Deletes a dossier.", StatusCodes.Status204NoContent).WithTags("Dossiers");

        var connections = dossiers.MapGroup("/{dossierId}/connections");
        connections.MapGet("/", (string dossierId, HttpRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListConnectionsAsync(dossierId, PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<ConnectionResponse>>("ListConnections", "The dossier's connections with their health; credentials are never shown.").WithTags("Connections");
        connections.MapPost("/", (string dossierId, ConnectionInput input, bool? test, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.CreateConnectionAsync(dossierId, input, test ?? false, user.ToCaller(), ct))
            .Describe<ConnectionResponse>("CreateConnection", "Connects the dossier to a provider; ?test=true runs the connection test first (422 with its message when it fails, nothing saved).", StatusCodes.Status201Created).ProducesProblem(StatusCodes.Status422UnprocessableEntity).WithTags("Connections").WithExample("""{"provider":"sftp","displayName":"Accountant SFTP","documentKinds":["SalesInvoice","PurchaseInvoice"],"options":{"host":"sftp.firm.example","port":"22","username":"koppel","uploadPath":"Invoice_import/"},"credentials":{"password":"…"}}""");
        connections.MapGet("/{connectionId}", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.GetConnectionAsync(dossierId, connectionId, user.ToCaller(), ct))
            .Describe<ConnectionResponse>("GetConnection", "One connection with its health.").WithTags("Connections");
        connections.MapPut("/{connectionId}", (string dossierId, string connectionId, ConnectionInput input, bool? test, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.UpdateConnectionAsync(dossierId, connectionId, input, test ?? false, user.ToCaller(), ct))
            .Describe<ConnectionResponse>("UpdateConnection", "Changes a connection; credentials given replace the stored ones; ?test=true as for creating.").ProducesProblem(StatusCodes.Status422UnprocessableEntity).WithTags("Connections");
        connections.MapDelete("/{connectionId}", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.DeleteConnectionAsync(dossierId, connectionId, user.ToCaller(), ct))
            .Describe("DeleteConnection", "Deletes a connection and its stored credentials.", StatusCodes.Status204NoContent).WithTags("Connections");
        connections.MapPost("/{connectionId}/test", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.TestConnectionAsync(dossierId, connectionId, user.ToCaller(), ct))
            .Describe<ConnectionTestResult>("TestConnection", "Runs the connection test: the message, the choices to make (e.g. the administration) and whether the credentials were refused.").WithTags("Connections");
        connections.MapGet("/{connectionId}/administrations", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ListAdministrationsAsync(dossierId, connectionId, user.ToCaller(), ct))
            .Describe<IReadOnlyList<AdministrationCandidate>>("ListAdministrations", "The administrations the connection's credentials reach, each with the dossier it would create or link.").WithTags("Connections");
        connections.MapPost("/{connectionId}/administrations/import", (string dossierId, string connectionId, AdministrationImportRequest request, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.ImportAdministrationsAsync(dossierId, connectionId, request, user.ToCaller(), ct))
            .Describe<IReadOnlyList<AdministrationImportResult>>("ImportAdministrations", "Creates or links a dossier with a connection for each chosen administration.").WithTags("Connections").WithExample("""{"administrations":[{"id":"7f1c2e0a-1111-2222-3333-444455556666","enterpriseNumber":"0876543270","name":"Koffiehuis Noord"}]}""");
        connections.MapPost("/{connectionId}/consent", (string dossierId, string connectionId, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.StartConsentAsync(dossierId, connectionId, user.ToCaller(), ct))
            .Describe<ConsentStart>("StartConsent", "Starts the OAuth consent of a connection: the provider URL the user's browser opens.").WithTags("Connections");

        // The OAuth redirect lands at the platform (the redirect URI registered at the provider), which hands code and
        // state on here with its own credentials; the sealed state names the dossier and connection.
        api.MapPost("/oauth/callback", (ConsentCallbackInput input, KoppelApi koppel, ClaimsPrincipal user, CancellationToken ct) =>
            koppel.CompleteConsentAsync(input, user.ToCaller(), ct))
            .Describe<ConsentCompleted>("CompleteConsent", "The OAuth callback: the code and sealed state the provider redirected back with; the tokens go to the secret store only.").WithTags("Connections");
    }
}
