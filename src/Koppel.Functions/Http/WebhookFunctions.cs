using Koppel.Api;
using Koppel.Api.Functions;
using Koppel.Core.Events;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;

namespace Koppel.Functions.Http;

/// <summary>/api/webhooks: the platform's webhooks (operator keys only), the same routes as the self-hosted server.</summary>
public sealed class WebhookFunctions(FunctionRequests requests)
{
    [Function(nameof(CreateWebhook))]
    public Task<IActionResult> CreateWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks")] HttpRequest request,
        CancellationToken cancellationToken) =>
        requests.RunWebhooksAsync(request, async (hooks, caller) =>
            await hooks.CreateAsync(await ApiJson.ReadBodyAsync<WebhookInput>(request, cancellationToken), caller, cancellationToken));

    [Function(nameof(ListWebhooks))]
    public Task<IActionResult> ListWebhooks(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks")] HttpRequest request,
        CancellationToken cancellationToken) =>
        requests.RunWebhooksAsync(request, (hooks, caller) => hooks.ListAsync(caller, cancellationToken));

    [Function(nameof(GetWebhook))]
    public Task<IActionResult> GetWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks/{webhookId}")] HttpRequest request,
        string webhookId,
        CancellationToken cancellationToken) =>
        requests.RunWebhooksAsync(request, (hooks, caller) => hooks.GetAsync(webhookId, caller, cancellationToken));

    [Function(nameof(DeleteWebhook))]
    public Task<IActionResult> DeleteWebhook(
        [HttpTrigger(AuthorizationLevel.Function, "delete", Route = "webhooks/{webhookId}")] HttpRequest request,
        string webhookId,
        CancellationToken cancellationToken) =>
        requests.RunWebhooksAsync(request, (hooks, caller) => hooks.DeleteAsync(webhookId, caller, cancellationToken));

    [Function(nameof(ListWebhookDeadLetters))]
    public Task<IActionResult> ListWebhookDeadLetters(
        [HttpTrigger(AuthorizationLevel.Function, "get", Route = "webhooks/{webhookId}/dead-letters")] HttpRequest request,
        string webhookId,
        CancellationToken cancellationToken) =>
        requests.RunWebhooksAsync(request, (hooks, caller) => hooks.ListDeadLettersAsync(webhookId, PageQuery.From(request), caller, cancellationToken));

    [Function(nameof(ReplayWebhookDeadLetters))]
    public Task<IActionResult> ReplayWebhookDeadLetters(
        [HttpTrigger(AuthorizationLevel.Function, "post", Route = "webhooks/{webhookId}/dead-letters/replay")] HttpRequest request,
        string webhookId,
        CancellationToken cancellationToken) =>
        requests.RunWebhooksAsync(request, async (hooks, caller) =>
            await hooks.ReplayAsync(webhookId, request.ContentLength is > 0 ? await ApiJson.ReadBodyAsync<ReplayInput>(request, cancellationToken) : null, caller, cancellationToken));
}
