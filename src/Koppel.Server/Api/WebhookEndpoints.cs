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
            hooks.CreateAsync(input, user.ToCaller(), ct));
        webhooks.MapGet("/", (WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.ListAsync(user.ToCaller(), ct));
        webhooks.MapGet("/{webhookId}", (string webhookId, WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.GetAsync(webhookId, user.ToCaller(), ct));
        webhooks.MapDelete("/{webhookId}", (string webhookId, WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.DeleteAsync(webhookId, user.ToCaller(), ct));
        webhooks.MapGet("/{webhookId}/dead-letters", (string webhookId, HttpRequest request, WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.ListDeadLettersAsync(webhookId, PageQuery.From(request), user.ToCaller(), ct));
        webhooks.MapPost("/{webhookId}/dead-letters/replay", (string webhookId, ReplayInput? input, WebhooksApi hooks, ClaimsPrincipal user, CancellationToken ct) =>
            hooks.ReplayAsync(webhookId, input, user.ToCaller(), ct));
    }
}
