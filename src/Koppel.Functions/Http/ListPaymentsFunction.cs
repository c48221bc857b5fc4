using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/payments: the payments recorded for a dossier's sales invoices, a page at a time.</summary>
public sealed class ListPaymentsFunction(FunctionRequests requests)
{
    [Function(nameof(ListPayments))]
    public Task<IActionResult> ListPayments(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/payments")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListPaymentsAsync(dossierId, null, PageQuery.From(request), caller, cancellationToken));
}
