using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/documents/{documentId}: a document and where it was delivered.</summary>
public sealed class GetDocumentFunction(FunctionRequests requests)
{
    [Function(nameof(GetDocument))]
    public Task<IActionResult> GetDocument(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/documents/{documentId}")] HttpRequest request,
        string dossierId,
        string documentId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.GetDocumentAsync(dossierId, documentId, caller, cancellationToken));
}
