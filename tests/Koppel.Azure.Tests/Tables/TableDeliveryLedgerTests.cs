using Azure.Data.Tables;
using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;
using Koppel.Core.Ports;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableDeliveryLedgerTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private readonly TestStorage _storage;
    private readonly TableDeliveryLedger _ledger;

    public TableDeliveryLedgerTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _ledger = new TableDeliveryLedger(_storage.Clients.Table(_storage.Names.DeliveriesTable), _ => new[] { "0123456749", "0200065765" }.ToAsyncEnumerable());
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task Adding_the_same_delivery_twice_keeps_the_first_entry()
    {
        var first = Entry("doc1", "conn1");
        var added = await _ledger.AddIfAbsentAsync(first, default);

        var again = await _ledger.AddIfAbsentAsync(first with { Provider = "other", Attempts = 9 }, default);

        Assert.NotNull(added.ETag);
        Assert.Equal("sftp", again.Provider);
        Assert.Equal(0, again.Attempts);
        Assert.Equal(added.ETag, again.ETag);
        Assert.Single(await _ledger.ListAsync("0123456749", null, default).ToListAsync());
    }

    [Fact]
    public async Task Every_column_survives_a_round_trip()
    {
        var added = await _ledger.AddIfAbsentAsync(Entry("doc1", "conn1"), default);
        var changed = added with
        {
            Status = DeliveryStatus.InProgress,
            Attempts = 2,
            ProviderReference = "YUKI-123",
            LastError = "timeout",
            ClaimedUntil = Now.AddMinutes(5),
            RunId = "run-1",
            Round = 2,
            UpdatedAt = Now.AddMinutes(1),
        };

        var replaced = await _ledger.ReplaceAsync(changed, default);
        var read = await _ledger.GetAsync("0123456749", added.DeliveryId, default);

        Assert.Equal(replaced, read);
        Assert.NotEqual(added.ETag, replaced.ETag);
    }

    [Fact]
    public async Task Replacing_with_a_stale_etag_is_a_concurrency_conflict()
    {
        var added = await _ledger.AddIfAbsentAsync(Entry("doc1", "conn1"), default);
        await _ledger.ReplaceAsync(added with { Status = DeliveryStatus.InProgress }, default);

        await Assert.ThrowsAsync<ConcurrencyConflictException>(
            () => _ledger.ReplaceAsync(added with { Status = DeliveryStatus.Delivered }, default));

        Assert.Equal(DeliveryStatus.InProgress, (await _ledger.GetAsync("0123456749", added.DeliveryId, default))!.Status);
    }

    [Fact]
    public async Task Unfinished_deliveries_of_every_dossier_are_listed_and_final_ones_are_not()
    {
        foreach (var (dossier, status) in new[]
        {
            ("0123456749", DeliveryStatus.Pending), ("0123456749", DeliveryStatus.Delivered), ("0200065765", DeliveryStatus.Failed),
            ("0200065765", DeliveryStatus.InProgress), ("0200065765", DeliveryStatus.DeadLettered), ("0200065765", DeliveryStatus.Skipped),
        })
        {
            await _ledger.AddIfAbsentAsync(Entry($"doc-{status}", "conn1", dossier) with { Status = status }, default);
        }

        var unfinished = await _ledger.ListUnfinishedAsync(default).ToListAsync();

        Assert.Equal(
            [DeliveryStatus.Pending, DeliveryStatus.InProgress], // Failed is final: a permanent failure is not retried; a resend goes through an export
            unfinished.Select(e => e.Status).Order());
        Assert.All(unfinished, e => Assert.False(e.IsFinal));
    }

    [Fact]
    public async Task The_sweep_reads_only_the_markers_of_unfinished_deliveries_and_finishing_a_delivery_removes_its_marker()
    {
        var open = new Markers(_storage);
        var pending = await _ledger.AddIfAbsentAsync(Entry("doc-a", "conn1"), default);
        var toFinish = await _ledger.AddIfAbsentAsync(Entry("doc-b", "conn1"), default);
        await _ledger.AddIfAbsentAsync(Entry("doc-c", "conn1") with { Status = DeliveryStatus.Delivered }, default);
        Assert.Equal(2, await open.CountAsync());

        await _ledger.ReplaceAsync(toFinish with { Status = DeliveryStatus.Delivered }, default);

        Assert.Equal([pending.DeliveryId], (await _ledger.ListUnfinishedAsync(default).ToListAsync()).Select(e => e.DeliveryId));
        Assert.Equal(1, await open.CountAsync());
    }

    [Fact]
    public async Task A_dead_letter_reopened_for_a_retry_is_unfinished_work_the_sweep_finds_again()
    {
        var open = new Markers(_storage);
        var added = await _ledger.AddIfAbsentAsync(Entry("doc-a", "conn1"), default);
        var dead = await _ledger.ReplaceAsync(added with { Status = DeliveryStatus.DeadLettered, Attempts = 8 }, default);
        Assert.Empty(await _ledger.ListUnfinishedAsync(default).ToListAsync());

        var reopened = await _ledger.ReopenAsync(dead with { Status = DeliveryStatus.Pending, Attempts = 0, Round = 1 }, default);

        var found = Assert.Single(await _ledger.ListUnfinishedAsync(default).ToListAsync());
        Assert.Equal((DeliveryStatus.Pending, 1, reopened.ETag), (found.Status, found.Round, found.ETag));
        Assert.Equal(1, await open.CountAsync());
        await Assert.ThrowsAsync<ConcurrencyConflictException>(() => _ledger.ReopenAsync(dead with { Status = DeliveryStatus.Pending }, default));
    }

    [Fact]
    public async Task A_marker_left_behind_by_a_write_outside_the_ledger_is_cleaned_up_by_the_next_sweep()
    {
        var open = new Markers(_storage);
        var entry = await _ledger.AddIfAbsentAsync(Entry("doc-a", "conn1"), default);

        // The row was finished by a write that did not go through the ledger (an operator's fix, an older version).
        var table = _storage.Clients.Table(_storage.Names.DeliveriesTable);
        var row = (await table.GetEntityAsync<TableEntity>(entry.DossierId, entry.DeliveryId)).Value;
        row["Status"] = nameof(DeliveryStatus.Delivered);
        await table.UpdateEntityAsync(row, row.ETag);

        Assert.Empty(await _ledger.ListUnfinishedAsync(default).ToListAsync());
        Assert.Equal(0, await open.CountAsync());
    }

    [Fact]
    public async Task Deliveries_are_listed_per_document_and_per_status()
    {
        await _ledger.AddIfAbsentAsync(Entry("doc1", "conn1"), default);
        await _ledger.AddIfAbsentAsync(Entry("doc1", "conn2") with { Status = DeliveryStatus.Delivered }, default);
        await _ledger.AddIfAbsentAsync(Entry("doc2", "conn1"), default);

        Assert.Equal(2, (await _ledger.ListForDocumentAsync("0123456749", "doc1", default).ToListAsync()).Count);
        Assert.Equal("conn2", Assert.Single(await _ledger.ListAsync("0123456749", DeliveryStatus.Delivered, default).ToListAsync()).ConnectionId);
    }

    [Fact]
    public void The_ledgers_final_statuses_are_exactly_the_ones_the_domain_calls_final()
    {
        var domainFinal = Enum.GetValues<DeliveryStatus>().Where(s => (Entry("d", "c") with { Status = s }).IsFinal);

        Assert.Equal(domainFinal.Order(), TableDeliveryLedger.FinalStatuses.Order());
    }

    private static DeliveryEntry Entry(string documentId, string connectionId, string dossierId = "0123456749") => new()
    {
        DossierId = dossierId,
        DeliveryId = DeliveryIds.For(documentId, connectionId),
        DocumentId = documentId,
        ConnectionId = connectionId,
        Provider = "sftp",
        CreatedAt = Now,
        UpdatedAt = Now,
    };
}

/// <summary>The marker rows the ledger keeps beside unfinished deliveries, counted straight from the table.</summary>
internal sealed class Markers(TestStorage storage)
{
    public async Task<int> CountAsync() =>
        await storage.Clients.Table(storage.Names.DeliveriesTable).QueryAsync<TableEntity>(e => e.RowKey.CompareTo("~open~") >= 0).CountAsync();
}
