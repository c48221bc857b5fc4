using System.Security.Claims;
using Koppel.Core.Connectors;
using Koppel.Core.Dossiers;
using Koppel.Server.Security;

namespace Koppel.Server.Api;

internal static class DossierEndpoints
{
    public static void MapDossierEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/connectors", (ConnectorCatalog catalog) => Results.Ok(catalog.Descriptors));

        var dossiers = api.MapGroup("/dossiers");
        dossiers.MapGet("/", async (DossierService service, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await service.ListAsync(user.ToCaller(), ct)));
        dossiers.MapPost("/", async (DossierInput input, DossierService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(input, user.ToCaller(), ct);
            return Results.Created($"/api/dossiers/{created.Id}", created);
        });
        dossiers.MapGet("/{dossierId}", async (string dossierId, DossierService service, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await service.GetAsync(DossierRoute.Canonical(dossierId), user.ToCaller(), ct)));
        dossiers.MapPut("/{dossierId}", async (string dossierId, DossierInput input, DossierService service, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await service.UpdateAsync(DossierRoute.Canonical(dossierId), input, user.ToCaller(), ct)));
        dossiers.MapDelete("/{dossierId}", async (string dossierId, DossierService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            await service.DeleteAsync(DossierRoute.Canonical(dossierId), user.ToCaller(), ct);
            return Results.NoContent();
        });

        var connections = dossiers.MapGroup("/{dossierId}/connections");
        connections.MapGet("/", async (string dossierId, ConnectionService service, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok((await service.ListAsync(DossierRoute.Canonical(dossierId), user.ToCaller(), ct)).Select(ConnectionResponse.From)));
        connections.MapPost("/", async (string dossierId, ConnectionInput input, ConnectionService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            var created = await service.CreateAsync(DossierRoute.Canonical(dossierId), input, user.ToCaller(), ct);
            return Results.Created($"/api/dossiers/{created.DossierId}/connections/{created.Id}", ConnectionResponse.From(created));
        });
        connections.MapGet("/{connectionId}", async (string dossierId, string connectionId, ConnectionService service, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(ConnectionResponse.From(await service.GetAsync(DossierRoute.Canonical(dossierId), connectionId, user.ToCaller(), ct))));
        connections.MapPut("/{connectionId}", async (string dossierId, string connectionId, ConnectionInput input, ConnectionService service, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(ConnectionResponse.From(await service.UpdateAsync(DossierRoute.Canonical(dossierId), connectionId, input, user.ToCaller(), ct))));
        connections.MapDelete("/{connectionId}", async (string dossierId, string connectionId, ConnectionService service, ClaimsPrincipal user, CancellationToken ct) =>
        {
            await service.DeleteAsync(DossierRoute.Canonical(dossierId), connectionId, user.ToCaller(), ct);
            return Results.NoContent();
        });
        connections.MapPost("/{connectionId}/test", async (string dossierId, string connectionId, ConnectionService service, ClaimsPrincipal user, CancellationToken ct) =>
            Results.Ok(await service.TestAsync(DossierRoute.Canonical(dossierId), connectionId, user.ToCaller(), ct)));
    }
}
