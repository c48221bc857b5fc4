using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/dossiers/{dossierId}/connections/{connectionId}/test: runs the connector's own check of the stored settings.</summary>
public sealed class TestConnectionFunction(FunctionRequests requests)
{
    [Function(nameof(TestConnection))]
    public Task<IActionResult> TestConnection(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/connections/{connectionId}/test")] HttpRequest request,
        string dossierId,
        string connectionId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.TestConnectionAsync(dossierId, connectionId, caller, cancellationToken));
}
