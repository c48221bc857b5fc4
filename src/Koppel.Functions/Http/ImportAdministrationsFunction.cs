using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/dossiers/{dossierId}/connections/{connectionId}/administrations/import: dossiers from the accounting package.</summary>
public sealed class ImportAdministrationsFunction(FunctionRequests requests)
{
    [Function(nameof(ImportAdministrations))]
    public Task<IActionResult> ImportAdministrations(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/connections/{connectionId}/administrations/import")] HttpRequest request,
        string dossierId,
        string connectionId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, async (api, caller) =>
        {
            var input = await ApiJson.ReadBodyAsync<AdministrationImportRequest>(request, cancellationToken);
            return await api.ImportAdministrationsAsync(dossierId, connectionId, input, caller, cancellationToken);
        });
}
