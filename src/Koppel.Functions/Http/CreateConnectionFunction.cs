using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Dossiers;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/dossiers/{dossierId}/connections: creates a connection; its credentials go to Key Vault.</summary>
public sealed class CreateConnectionFunction(FunctionRequests requests)
{
    [Function(nameof(CreateConnection))]
    public Task<IActionResult> CreateConnection(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/connections")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, async (api, caller) =>
        {
            var input = await ApiJson.ReadBodyAsync<ConnectionInput>(request, cancellationToken);
            return await api.CreateConnectionAsync(dossierId, input, ApiJson.TestOnSave(request), caller, cancellationToken);
        });
}
