using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/runs: the run log of a dossier, newest first, at most ?max=.</summary>
public sealed class ListRunsFunction(FunctionRequests requests)
{
    [Function(nameof(ListRuns))]
    public Task<IActionResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/runs")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListRunsAsync(dossierId, ApiQuery.Number(request, "max"), caller, cancellationToken));
}
