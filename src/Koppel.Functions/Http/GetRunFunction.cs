using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/runs/{runId}: one run with its counts.</summary>
public sealed class GetRunFunction(FunctionRequests requests)
{
    [Function(nameof(GetRun))]
    public Task<IActionResult> GetRun(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/runs/{runId}")] HttpRequest request,
        string dossierId,
        string runId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.GetRunAsync(dossierId, runId, caller, cancellationToken));
}
