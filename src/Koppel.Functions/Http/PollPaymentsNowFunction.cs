using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/dossiers/{dossierId}/payments/poll: "poll now", outside the 07:00/14:00 schedule.</summary>
public sealed class PollPaymentsNowFunction(FunctionRequests requests)
{
    [Function(nameof(PollPaymentsNow))]
    public Task<IActionResult> PollPaymentsNow(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/payments/poll")] HttpRequest request,
        string dossierId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.PollPaymentsNowAsync(dossierId, caller, cancellationToken));
}
