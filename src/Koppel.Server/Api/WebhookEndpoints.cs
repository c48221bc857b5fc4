using System.Security.Claims;
using Koppel.Api;
using Koppel.Core.Events;
using Koppel.Server.Security;

namespace Koppel.Server.Api;

/// <summary>The platform's webhook routes (operator keys only); each one a call into <see cref="WebhooksApi"/>.</summary>
internal static class WebhookEndpoints
{
    public static void MapWebhookEndpoints(this RouteGroupBuilder api)
    {
        var webhooks = api.MapGroup("/webhooks");
        webhooks.MapPost("/", (WebhookInput input, WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.CreateAsync(input, user.ToCaller(), ct))
            .Describe<CreatedWebhookResponse>("CreateWebhook", "Subscribes a webhook; this answer is the only one that shows its signing secret.", StatusCodes.Status201Created).WithTags("Webhooks").WithExample("""{"platform":"acme-einvoicing","url":"https://hooks.platform.example/koppel","eventTypes":["be.koppel.document.delivered","be.koppel.delivery.failed"],"dossiers":["0403170701"]}""");
        webhooks.MapGet("/", (WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.ListAsync(user.ToCaller(), ct))
            .Describe<PagedResponse<WebhookResponse>>("ListWebhooks", "The platform's webhooks.").WithTags("Webhooks");
        webhooks.MapGet("/{webhookId}", (string webhookId, WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.GetAsync(webhookId, user.ToCaller(), ct))
            .Describe<WebhookResponse>("GetWebhook", "One webhook.").WithTags("Webhooks");
        webhooks.MapDelete("/{webhookId}", (string webhookId, WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.DeleteAsync(webhookId, user.ToCaller(), ct))
            .Describe("DeleteWebhook", "Unsubscribes a webhook.", StatusCodes.Status204NoContent).WithTags("Webhooks");
        webhooks.MapGet("/{webhookId}/dead-letters", (string webhookId, HttpRequest request, WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.ListDeadLettersAsync(webhookId, PageQuery.From(request), user.ToCaller(), ct))
            .Describe<PagedResponse<DeadLetterResponse>>("ListWebhookDeadLetters", "Events the webhook did not take within the attempt limit.").WithTags("Webhooks");
        webhooks.MapPost("/{webhookId}/dead-letters/replay", (string webhookId, ReplayInput? input, WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.ReplayAsync(webhookId, input, user.ToCaller(), ct))
            .Describe<ReplayResponse>("ReplayWebhookDeadLetters", "Queues dead letters again (the eventIds named, or up to max).", StatusCodes.Status202Accepted).WithTags("Webhooks");
    }
}
