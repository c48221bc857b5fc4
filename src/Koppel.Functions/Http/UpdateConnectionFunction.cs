using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Dossiers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>PUT /api/dossiers/{dossierId}/connections/{connectionId}: updates a connection; credentials sent replace the stored ones.</summary>
public sealed class UpdateConnectionFunction(FunctionRequests requests)
{
    [Function(nameof(UpdateConnection))]
    public Task<IActionResult> UpdateConnection(
        [HttpTrigger(AuthorizationLevel.Function, "put", Route = "dossiers/{dossierId}/connections/{connectionId}")] HttpRequest request,
        string dossierId,
        string connectionId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, async (api, caller) =>
        {
            var input = await ApiJson.ReadBodyAsync<ConnectionInput>(request, cancellationToken);
            return await api.UpdateConnectionAsync(dossierId, connectionId, input, ApiJson.TestOnSave(request), caller, cancellationToken);
        });
}
