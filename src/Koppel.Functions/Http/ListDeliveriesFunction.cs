using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Domain;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>GET /api/dossiers/{dossierId}/deliveries: the delivery ledger of a dossier, optionally ?status=.</summary>
public sealed class ListDeliveriesFunction(FunctionRequests requests)
{
    [Function(nameof(ListDeliveries))]
    public Task<IActionResult> ListDeliveries(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "dossiers/{dossierId}/deliveries")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.ListDeliveriesAsync(dossierId, ApiQuery.Choice<DeliveryStatus>(request, "status"), PageQuery.From(request), caller, cancellationToken));
}
