using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableDocumentHistoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly TestStorage _storage;
    private readonly TableDocumentHistory _history;

    public TableDocumentHistoryTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _history = new TableDocumentHistory(_storage.Clients.Table(_storage.Names.HistoryTable));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_documents_history_lists_oldest_first_and_only_its_own_events()
    {
        await _history.AppendAsync(Event("doc1", HistoryEvent.Delivered, Start.AddMinutes(2)) with { Reference = "YUKI-1", ConnectionId = "c1" }, default);
        await _history.AppendAsync(Event("doc1", HistoryEvent.Received, Start), default);
        await _history.AppendAsync(Event("doc10", HistoryEvent.Received, Start.AddMinutes(1)), default);
        await _history.AppendAsync(Event("doc1", HistoryEvent.Queued, Start.AddMinutes(1)), default);

        var history = await _history.ListAsync("0123456749", "doc1", default).ToListAsync();

        Assert.Equal([HistoryEvent.Received, HistoryEvent.Queued, HistoryEvent.Delivered], history.Select(h => h.Event));
        Assert.Equal("YUKI-1", history[2].Reference);
        Assert.Equal(Start.AddMinutes(2), history[2].At);
    }

    [Fact]
    public async Task Two_events_at_the_same_instant_are_both_kept()
    {
        await _history.AppendAsync(Event("doc1", HistoryEvent.Failed, Start), default);
        await _history.AppendAsync(Event("doc1", HistoryEvent.RetryScheduled, Start), default);

        Assert.Equal(2, (await _history.ListAsync("0123456749", "doc1", default).ToListAsync()).Count);
    }

    private static HistoryEntry Event(string documentId, HistoryEvent kind, DateTimeOffset at) =>
        new() { DossierId = "0123456749", DocumentId = documentId, Event = kind, At = at };
}
