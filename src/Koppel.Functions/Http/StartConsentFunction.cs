using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/dossiers/{dossierId}/connections/{connectionId}/consent: the provider URL where the user consents (OAuth).</summary>
public sealed class StartConsentFunction(FunctionRequests requests)
{
    [Function(nameof(StartConsent))]
    public Task<IActionResult> StartConsent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "dossiers/{dossierId}/connections/{connectionId}/consent")] HttpRequest request,
        string dossierId,
        string connectionId,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, (api, caller) => api.StartConsentAsync(dossierId, connectionId, caller, cancellationToken));
}
