using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/quarantine/reingest?path=…[&amp;dossierId=…]: ingests a refused file again, answering like an upload.</summary>
public sealed class ReingestQuarantinedFunction(FunctionRequests requests)
{
    [Function(nameof(ReingestQuarantined))]
    public Task<IActionResult> ReingestQuarantined(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "quarantine/reingest")] HttpRequest request,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ReingestQuarantinedAsync(request.Query["path"], request.Query["dossierId"], caller, cancellationToken));
}
