using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/runs: the run log of a dossier, newest first, a page at a time (?pageSize=, ?continuationToken=).</summary>
public sealed class ListRunsFunction(FunctionRequests requests)
{
    [Function(nameof(ListRuns))]
    public Task<IActionResult> ListRuns(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/runs")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListRunsAsync(dossierId, PageQuery.From(request), caller, cancellationToken));
}
