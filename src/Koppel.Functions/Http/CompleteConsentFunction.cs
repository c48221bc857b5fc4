using Koppel.Api;
using Koppel.Api.Functions;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>POST /api/oauth/callback: exchanges the provider's code (JSON {code, state}); tokens go to the secret store only.</summary>
public sealed class CompleteConsentFunction(FunctionRequests requests)
{
    [Function(nameof(CompleteConsent))]
    public Task<IActionResult> CompleteConsent(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "oauth/callback")] HttpRequest request,
        CancellationToken cancellationToken) =>
        requests.RunAsync(request, async (api, caller) =>
        {
            var input = await ApiJson.ReadBodyAsync<ConsentCallbackInput>(request, cancellationToken);
            return await api.CompleteConsentAsync(input, caller, cancellationToken);
        });
}
