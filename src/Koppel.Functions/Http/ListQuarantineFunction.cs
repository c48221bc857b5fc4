using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/quarantine: the refused files of every dossier (callers with access to all dossiers only).</summary>
public sealed class ListQuarantineFunction(FunctionRequests requests)
{
    [Function(nameof(ListQuarantine))]
    public Task<IActionResult> ListQuarantine(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "quarantine")] HttpRequest request,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListQuarantineAsync(null, PageQuery.From(request), caller, cancellationToken));
}
