using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers: the dossiers the caller may see.</summary>
public sealed class ListDossiersFunction(FunctionRequests requests)
{
    [Function(nameof(ListDossiers))]
    public Task<IActionResult> ListDossiers(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers")] HttpRequest request,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListDossiersAsync(PageQuery.From(request), caller, cancellationToken));
}
