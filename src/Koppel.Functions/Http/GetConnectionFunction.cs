using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/connections/{connectionId}: one connection, without credentials.</summary>
public sealed class GetConnectionFunction(FunctionRequests requests)
{
    [Function(nameof(GetConnection))]
    public Task<IActionResult> GetConnection(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/connections/{connectionId}")] HttpRequest request,
        string dossierId,
        string connectionId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.GetConnectionAsync(dossierId, connectionId, caller, cancellationToken));
}
