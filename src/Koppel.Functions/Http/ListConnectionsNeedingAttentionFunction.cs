using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/connections/attention: connections that need looking at across the caller's dossiers, a page at a time.</summary>
public sealed class ListConnectionsNeedingAttentionFunction(FunctionRequests requests)
{
    [Function(nameof(ListConnectionsNeedingAttention))]
    public Task<IActionResult> ListConnectionsNeedingAttention(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "connections/attention")] HttpRequest request,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListConnectionsNeedingAttentionAsync(PageQuery.From(request), caller, cancellationToken));
}
