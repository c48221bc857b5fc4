using System.Security.Cryptography;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;

namespace Koppel.Core.Events;

/// <summary>What a platform asks for when it subscribes a webhook.</summary>
public sealed record WebhookInput(string? Platform, string? Url, IReadOnlyList<string>? EventTypes, IReadOnlyList<string>? Dossiers);

/// <summary>A new webhook with its signing secret: the only answer that ever shows the secret.</summary>
public sealed record CreatedWebhook(WebhookSubscription Webhook, string Secret);

/// <summary>
/// The platform's webhooks: subscribe, list, remove, and look at and replay what a webhook did not take. Webhooks are
/// the platform's, not a dossier's: only a caller for all dossiers (the platform's operator key) manages them.
/// </summary>
public sealed class WebhookService(
    IWebhookSubscriptions subscriptions,
    IWebhookDeadLetters deadLetters,
    IWebhookQueue queue,
    ISecretStore secrets,
    IUrlGuard guard,
    TimeProvider clock)
{
    public async Task<CreatedWebhook> CreateAsync(WebhookInput input, Caller caller, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        EnsureOperator(caller);
        var errors = new ValidationErrors();
        if (string.IsNullOrWhiteSpace(input.Platform) || input.Platform.Length > 100)
        {
            errors.Add("platform", "Name the platform the webhook belongs to (at most 100 characters).");
        }

        Uri? url = null;
        if (!Uri.TryCreate(input.Url, UriKind.Absolute, out url) || url.Scheme != Uri.UriSchemeHttps || !string.IsNullOrEmpty(url.UserInfo))
        {
            errors.Add("url", "Give an absolute https URL without user name or password.");
            url = null;
        }

        var unknown = (input.EventTypes ?? []).Where(t => !Events.EventTypes.All.Contains(t, StringComparer.Ordinal)).ToList();
        if (unknown.Count > 0)
        {
            errors.Add("eventTypes", $"Unknown event type(s) {string.Join(", ", unknown)}; known: {string.Join(", ", Events.EventTypes.All)}.");
        }

        var dossiers = new List<string>();
        foreach (var dossier in input.Dossiers ?? [])
        {
            if (Domain.EnterpriseNumber.TryParse(dossier, out var number, out var problem))
            {
                dossiers.Add(number.Value.Value);
            }
            else
            {
                errors.Add("dossiers", $"'{dossier}' is not a dossier's enterprise number: {problem}");
            }
        }

        errors.ThrowIfAny();

        try
        {
            await guard.CheckAsync(url!, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new RequestValidationException("url", $"Koppel may not post to {url!.Host}: {ex.Message}");
        }

        var subscription = new WebhookSubscription
        {
            Id = Guid.NewGuid().ToString("n"),
            Platform = input.Platform!.Trim(),
            Url = url!,
            EventTypes = (input.EventTypes ?? []).Distinct(StringComparer.Ordinal).ToList(),
            Dossiers = dossiers.Distinct(StringComparer.Ordinal).ToList(),
            CreatedAt = clock.GetUtcNow(),
        };

        // The Standard Webhooks form of a secret: "whsec_" and 32 random bytes in base64; the receiver verifies with it.
        var secret = "whsec_" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
        await secrets.SetAsync(subscription.SecretName, secret, cancellationToken);
        await subscriptions.AddAsync(subscription, cancellationToken);
        return new CreatedWebhook(subscription, secret);
    }

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(Caller caller, CancellationToken cancellationToken)
    {
        EnsureOperator(caller);
        return await subscriptions.ListAsync(cancellationToken);
    }

    public async Task<WebhookSubscription> GetAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        EnsureOperator(caller);
        return await subscriptions.GetAsync(id, cancellationToken) ?? throw new ResourceNotFoundException($"Webhook {id} does not exist.");
    }

    public async Task DeleteAsync(string id, Caller caller, CancellationToken cancellationToken)
    {
        EnsureOperator(caller);
        if (!await subscriptions.DeleteAsync(id, cancellationToken))
        {
            throw new ResourceNotFoundException($"Webhook {id} does not exist.");
        }

        await secrets.DeleteAsync(WebhookSubscription.SecretNameOf(id), cancellationToken);
    }

    public async Task<Page<WebhookDeadLetter>> ListDeadLettersAsync(string id, PageRequest page, Caller caller, CancellationToken cancellationToken)
    {
        _ = await GetAsync(id, caller, cancellationToken);
        return await deadLetters.ListPageAsync(id, page, cancellationToken);
    }

    /// <summary>
    /// Queues dead-lettered events of the webhook again, each with a fresh count of attempts: the ones named, or (no ids)
    /// up to <paramref name="max"/> of them. Returns how many were queued.
    /// </summary>
    public async Task<int> ReplayAsync(string id, IReadOnlyList<string>? eventIds, int max, Caller caller, CancellationToken cancellationToken)
    {
        _ = await GetAsync(id, caller, cancellationToken);
        var letters = new List<WebhookDeadLetter>();
        if (eventIds is { Count: > 0 })
        {
            foreach (var eventId in eventIds.Distinct(StringComparer.Ordinal))
            {
                letters.Add(await deadLetters.GetAsync(id, eventId, cancellationToken)
                    ?? throw new RequestValidationException("eventIds", $"Event {eventId} is not among the dead letters of webhook {id}."));
            }
        }
        else
        {
            letters.AddRange((await deadLetters.ListPageAsync(id, new PageRequest(Math.Clamp(max, 1, PageRequest.MaxSize)), cancellationToken)).Items);
        }

        foreach (var letter in letters)
        {
            // Queued first, removed after: a crash in between replays it twice (same event id), never loses it.
            await queue.EnqueueAsync(new WebhookDelivery(id, letter.Event, Attempt: 1), delay: null, cancellationToken);
            await deadLetters.DeleteAsync(id, letter.Event.Id, cancellationToken);
        }

        return letters.Count;
    }

    private static void EnsureOperator(Caller caller)
    {
        ArgumentNullException.ThrowIfNull(caller);
        if (!caller.AllDossiers)
        {
            throw new AccessDeniedException($"The caller '{caller.Name}' may not manage webhooks: they belong to the platform, not to a dossier.");
        }
    }
}
