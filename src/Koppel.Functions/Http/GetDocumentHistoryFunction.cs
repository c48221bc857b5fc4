using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/documents/{documentId}/history: what happened to a document, oldest first.</summary>
public sealed class GetDocumentHistoryFunction(FunctionRequests requests)
{
    [Function(nameof(GetDocumentHistory))]
    public Task<IActionResult> GetDocumentHistory(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/documents/{documentId}/history")] HttpRequest request,
        string dossierId,
        string documentId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.GetDocumentHistoryAsync(dossierId, documentId, PageQuery.From(request), caller, cancellationToken));
}
