using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/quarantine/content?path=…: the bytes of a refused file, for its dossier's callers.</summary>
public sealed class DownloadQuarantinedFunction(FunctionRequests requests)
{
    [Function(nameof(DownloadQuarantined))]
    public Task<IActionResult> DownloadQuarantined(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "quarantine/content")] HttpRequest request,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.DownloadQuarantinedAsync(request.Query["path"], caller, cancellationToken));
}
