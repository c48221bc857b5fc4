using Azure.Data.Tables;
using Koppel.Azure.Tables;
using Koppel.Core.Events;
using Koppel.Core.Ports;

namespace Koppel.Azure.Events;

/// <summary>Dead-lettered webhook events: partition = webhook, row = event id, the event itself as its JSON.</summary>
public sealed class TableWebhookDeadLetters(TableClient table) : IWebhookDeadLetters
{
    private readonly KoppelTable _table = new(table);

    public Task UpsertAsync(WebhookDeadLetter deadLetter, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deadLetter);
        return _table.UpsertAsync(
            new TableEntity(TableKeys.Ensure(deadLetter.SubscriptionId, "webhook id"), TableKeys.Ensure(deadLetter.Event.Id, "event id"))
            {
                ["Event"] = WebhookJson.SerializeEvent(deadLetter.Event),
                ["Attempts"] = deadLetter.Attempts,
                ["LastError"] = deadLetter.LastError,
                ["DeadLetteredAt"] = deadLetter.DeadLetteredAt,
            },
            cancellationToken);
    }

    public async Task<WebhookDeadLetter?> GetAsync(string subscriptionId, string eventId, CancellationToken cancellationToken) =>
        await _table.GetAsync(TableKeys.Ensure(subscriptionId, "webhook id"), TableKeys.Ensure(eventId, "event id"), cancellationToken) is { } entity ? From(entity) : null;

    public async Task DeleteAsync(string subscriptionId, string eventId, CancellationToken cancellationToken) =>
        await _table.DeleteAsync(TableKeys.Ensure(subscriptionId, "webhook id"), TableKeys.Ensure(eventId, "event id"), cancellationToken);

    public async Task<Page<WebhookDeadLetter>> ListPageAsync(string subscriptionId, PageRequest page, CancellationToken cancellationToken)
    {
        var rows = await _table.QueryPageAsync(KoppelTable.PartitionFilter(TableKeys.Ensure(subscriptionId, "webhook id")), page, cancellationToken);
        return new Page<WebhookDeadLetter>(rows.Items.Select(From).ToList(), rows.ContinuationToken);
    }

    private static WebhookDeadLetter From(TableEntity entity) => new()
    {
        SubscriptionId = entity.PartitionKey,
        Event = WebhookJson.DeserializeEvent(entity.GetString("Event")) ?? throw new InvalidOperationException($"Dead letter {entity.RowKey} holds no event."),
        Attempts = entity.GetInt32("Attempts") ?? 0,
        LastError = entity.GetString("LastError") ?? "",
        DeadLetteredAt = entity.GetDateTimeOffset("DeadLetteredAt") ?? default,
    };
}
