using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>DELETE /api/dossiers/{dossierId}/connections/{connectionId}: deletes a connection and its secret.</summary>
public sealed class DeleteConnectionFunction(FunctionRequests requests)
{
    [Function(nameof(DeleteConnection))]
    public Task<IActionResult> DeleteConnection(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "dossiers/{dossierId}/connections/{connectionId}")] HttpRequest request,
        string dossierId,
        string connectionId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.DeleteConnectionAsync(dossierId, connectionId, caller, cancellationToken));
}
