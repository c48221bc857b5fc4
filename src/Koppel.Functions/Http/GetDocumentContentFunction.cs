using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/documents/{documentId}/content: the archived bytes of a document.</summary>
public sealed class GetDocumentContentFunction(FunctionRequests requests)
{
    [Function(nameof(GetDocumentContent))]
    public Task<IActionResult> GetDocumentContent(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/documents/{documentId}/content")] HttpRequest request,
        string dossierId,
        string documentId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.GetDocumentContentAsync(dossierId, documentId, caller, cancellationToken));
}
