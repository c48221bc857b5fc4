using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>DELETE /api/dossiers/{dossierId}: deletes a dossier and its connections; documents and logs stay.</summary>
public sealed class DeleteDossierFunction(FunctionRequests requests)
{
    [Function(nameof(DeleteDossier))]
    public Task<IActionResult> DeleteDossier(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "dossiers/{dossierId}")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.DeleteDossierAsync(dossierId, caller, cancellationToken));
}
