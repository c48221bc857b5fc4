using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Dossiers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/dossiers: creates a dossier from a JSON DossierInput.</summary>
public sealed class CreateDossierFunction(FunctionRequests requests)
{
    [Function(nameof(CreateDossier))]
    public Task<IActionResult> CreateDossier(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers")] HttpRequest request,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, async (api, caller) =>
        {
            var input = await ApiJson.ReadBodyAsync<DossierInput>(request, cancellationToken);
            return await api.CreateDossierAsync(input, caller, cancellationToken);
        });
}
