using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>
/// POST /api/dossiers/{dossierId}/deliveries/{deliveryId}/retry and …/discard: an operator's answer to a dead-lettered
/// or failed delivery (see <see cref="Core.Delivery.DeadLetterActions"/>).
/// </summary>
public sealed class DeadLetterFunctions(FunctionRequests requests)
{
    [Function(nameof(RetryDelivery))]
    public Task<IActionResult> RetryDelivery(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/deliveries/{deliveryId}/retry")] HttpRequest request,
        string dossierId,
        string deliveryId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.RetryDeliveryAsync(dossierId, deliveryId, caller, cancellationToken));

    [Function(nameof(DiscardDelivery))]
    public Task<IActionResult> DiscardDelivery(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/deliveries/{deliveryId}/discard")] HttpRequest request,
        string dossierId,
        string deliveryId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, async (api, caller) =>
        {
            var input = request.ContentLength is > 0 ? await ApiJson.ReadBodyAsync<DiscardInput>(request, cancellationToken) : null;
            return await api.DiscardDeliveryAsync(dossierId, deliveryId, input, caller, cancellationToken);
        });
}
