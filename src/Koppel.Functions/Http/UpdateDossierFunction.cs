using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Dossiers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>PUT /api/dossiers/{dossierId}: updates a dossier from a JSON DossierInput.</summary>
public sealed class UpdateDossierFunction(FunctionRequests requests)
{
    [Function(nameof(UpdateDossier))]
    public Task<IActionResult> UpdateDossier(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "dossiers/{dossierId}")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, async (api, caller) =>
        {
            var input = await ApiJson.ReadBodyAsync<DossierInput>(request, cancellationToken);
            return await api.UpdateDossierAsync(dossierId, input, caller, cancellationToken);
        });
}
