using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/documents/{documentId}/payments: the payments of one sales invoice.</summary>
public sealed class ListDocumentPaymentsFunction(FunctionRequests requests)
{
    [Function(nameof(ListDocumentPayments))]
    public Task<IActionResult> ListDocumentPayments(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/documents/{documentId}/payments")] HttpRequest request,
        string dossierId,
        string documentId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListPaymentsAsync(dossierId, documentId, PageQuery.From(request), caller, cancellationToken));
}
