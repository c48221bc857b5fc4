using Koppel.Core.Events;
using Koppel.Core.Security;
using Microsoft.AspNetCore.Http;

namespace Koppel.Api;

/// <summary>The platform's webhooks: both front doors call this, as they call <see cref="KoppelApi"/>.</summary>
public sealed class WebhooksApi(WebhookService webhooks, PageTokens pages)
{
    /// <summary>Subscribes a webhook; the answer is the only place its signing secret is ever shown.</summary>
    public async Task<IResult> CreateAsync(WebhookInput input, Caller caller, CancellationToken ct)
    {
        var created = await webhooks.CreateAsync(input, caller, ct);
        return Results.Created($"/api/webhooks/{created.Webhook.Id}", new CreatedWebhookResponse(WebhookResponse.From(created.Webhook), created.Secret));
    }

    public async Task<IResult> ListAsync(Caller caller, CancellationToken ct) =>
        Results.Ok(new PagedResponse<WebhookResponse>((await webhooks.ListAsync(caller, ct)).Select(WebhookResponse.From).ToList(), null));

    public async Task<IResult> GetAsync(string id, Caller caller, CancellationToken ct) =>
        Results.Ok(WebhookResponse.From(await webhooks.GetAsync(id, caller, ct)));

    public async Task<IResult> DeleteAsync(string id, Caller caller, CancellationToken ct)
    {
        await webhooks.DeleteAsync(id, caller, ct);
        return Results.NoContent();
    }

    public async Task<IResult> ListDeadLettersAsync(string id, PageQuery page, Caller caller, CancellationToken ct)
    {
        var scope = $"webhook-dead-letters|{id}";
        return Results.Ok(pages.Answer(await webhooks.ListDeadLettersAsync(id, pages.Read(page, scope), caller, ct), DeadLetterResponse.From, scope));
    }

    /// <summary>Queues dead letters again: the ones named in the body, or up to <c>max</c> (default 100) of them.</summary>
    public async Task<IResult> ReplayAsync(string id, ReplayInput? input, Caller caller, CancellationToken ct)
    {
        var queued = await webhooks.ReplayAsync(id, input?.EventIds, input?.Max ?? 100, caller, ct);
        return Results.Accepted($"/api/webhooks/{id}/dead-letters", new ReplayResponse(queued));
    }
}

public sealed record ReplayInput(IReadOnlyList<string>? EventIds, int? Max);

/// <summary>How many dead letters were queued again.</summary>
public sealed record ReplayResponse(int Replayed);

public sealed record WebhookResponse(string Id, string Platform, string Url, IReadOnlyList<string> EventTypes, IReadOnlyList<string> Dossiers, bool Enabled, DateTimeOffset CreatedAt)
{
    public static WebhookResponse From(WebhookSubscription webhook)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        return new(webhook.Id, webhook.Platform, webhook.Url.AbsoluteUri, webhook.EventTypes, webhook.Dossiers, webhook.Enabled, webhook.CreatedAt);
    }
}

/// <summary>The answer to a new webhook: the webhook and, this once, the secret to verify its signatures with.</summary>
public sealed record CreatedWebhookResponse(WebhookResponse Webhook, string Secret);

public sealed record DeadLetterResponse(string EventId, string Type, string DossierId, string Subject, DateTimeOffset Time, int Attempts, string LastError, DateTimeOffset DeadLetteredAt)
{
    public static DeadLetterResponse From(WebhookDeadLetter letter)
    {
        ArgumentNullException.ThrowIfNull(letter);
        return new(letter.Event.Id, letter.Event.Type, letter.Event.DossierId, letter.Event.Subject, letter.Event.Time, letter.Attempts, letter.LastError, letter.DeadLetteredAt);
    }
}
