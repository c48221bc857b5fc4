using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/connections/{connectionId}/administrations: what "add from accounting software" can import.</summary>
public sealed class ListAdministrationsFunction(FunctionRequests requests)
{
    [Function(nameof(ListAdministrations))]
    public Task<IActionResult> ListAdministrations(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/connections/{connectionId}/administrations")] HttpRequest request,
        string dossierId,
        string connectionId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListAdministrationsAsync(dossierId, connectionId, caller, cancellationToken));
}
