using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/dossiers/{dossierId}/documents: the body is the file, ?fileName= its name; it is ingested through the inbox.</summary>
public sealed class UploadDocumentFunction(FunctionRequests requests)
{
    [Function(nameof(UploadDocument))]
    public Task<IActionResult> UploadDocument(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/documents")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.UploadDocumentAsync(dossierId, ApiQuery.Text(request, "fileName"), request.Body, caller, cancellationToken));
}
