using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}: one dossier.</summary>
public sealed class GetDossierFunction(FunctionRequests requests)
{
    [Function(nameof(GetDossier))]
    public Task<IActionResult> GetDossier(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.GetDossierAsync(dossierId, caller, cancellationToken));
}
