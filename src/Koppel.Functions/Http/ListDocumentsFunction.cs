using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/documents: documents received in [?from, ?to).</summary>
public sealed class ListDocumentsFunction(FunctionRequests requests)
{
    [Function(nameof(ListDocuments))]
    public Task<IActionResult> ListDocuments(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/documents")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListDocumentsAsync(dossierId, ApiQuery.Instant(request, "from"), ApiQuery.Instant(request, "to"), PageQuery.From(request), caller, cancellationToken));
}
