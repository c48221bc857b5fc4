using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/connections: the connections of a dossier, without credentials.</summary>
public sealed class ListConnectionsFunction(FunctionRequests requests)
{
    [Function(nameof(ListConnections))]
    public Task<IActionResult> ListConnections(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/connections")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListConnectionsAsync(dossierId, PageQuery.From(request), caller, cancellationToken));
}
