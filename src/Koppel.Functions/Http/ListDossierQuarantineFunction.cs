using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/quarantine: the refused files of a dossier, each with its reason.</summary>
public sealed class ListDossierQuarantineFunction(FunctionRequests requests)
{
    [Function(nameof(ListDossierQuarantine))]
    public Task<IActionResult> ListDossierQuarantine(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/quarantine")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListQuarantineAsync(dossierId, PageQuery.From(request), caller, cancellationToken));
}
