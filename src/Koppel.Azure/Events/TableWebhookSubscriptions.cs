using Azure.Data.Tables;
using Koppel.Azure.Tables;
using Koppel.Core.Events;

namespace Koppel.Azure.Events;

/// <summary>
/// The platform's webhooks, one row each in one partition (there are a handful). Publishing reads them for every event,
/// so the list is kept for a few seconds; a new or deleted webhook is seen within that time.
/// </summary>
public sealed class TableWebhookSubscriptions : IWebhookSubscriptions
{
    private const string Partition = "webhook";
    private static readonly TimeSpan Freshness = TimeSpan.FromSeconds(5);
    private readonly KoppelTable _table;
    private readonly TimeProvider _clock;
    private (DateTimeOffset ReadAt, IReadOnlyList<WebhookSubscription> Items)? _recent;

    public TableWebhookSubscriptions(TableClient table, TimeProvider clock)
    {
        _table = new KoppelTable(table);
        _clock = clock;
    }

    public async Task AddAsync(WebhookSubscription subscription, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(subscription);
        var entity = new TableEntity(Partition, TableKeys.Ensure(subscription.Id, "webhook id"))
        {
            ["Platform"] = subscription.Platform,
            ["Url"] = subscription.Url.AbsoluteUri,
            ["EventTypes"] = string.Join(' ', subscription.EventTypes),
            ["Dossiers"] = string.Join(' ', subscription.Dossiers),
            ["Enabled"] = subscription.Enabled,
            ["CreatedAt"] = subscription.CreatedAt,
        };
        await _table.UpsertAsync(entity, cancellationToken);
        _recent = null;
    }

    public async Task<WebhookSubscription?> GetAsync(string id, CancellationToken cancellationToken) =>
        TableKeysAllow(id) && await _table.GetAsync(Partition, id, cancellationToken) is { } entity ? From(entity) : null;

    public async Task<bool> DeleteAsync(string id, CancellationToken cancellationToken)
    {
        _recent = null;
        return TableKeysAllow(id) && await _table.DeleteAsync(Partition, id, cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookSubscription>> ListAsync(CancellationToken cancellationToken)
    {
        if (_recent is { } recent && _clock.GetUtcNow() - recent.ReadAt < Freshness)
        {
            return recent.Items;
        }

        var items = new List<WebhookSubscription>();
        await foreach (var entity in _table.QueryAsync(KoppelTable.PartitionFilter(Partition), 1000, cancellationToken))
        {
            items.Add(From(entity));
        }

        _recent = (_clock.GetUtcNow(), items);
        return items;
    }

    private static bool TableKeysAllow(string id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 64 && id.All(char.IsAsciiLetterOrDigit);

    private static WebhookSubscription From(TableEntity entity) => new()
    {
        Id = entity.RowKey,
        Platform = entity.GetString("Platform") ?? "",
        Url = new Uri(entity.GetString("Url") ?? throw new InvalidOperationException($"Webhook {entity.RowKey} has no URL.")),
        EventTypes = Words(entity.GetString("EventTypes")),
        Dossiers = Words(entity.GetString("Dossiers")),
        Enabled = entity.GetBoolean("Enabled") ?? true,
        CreatedAt = entity.GetDateTimeOffset("CreatedAt") ?? default,
    };

    private static List<string> Words(string? text) => [.. (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}
