using Koppel.Azure.Tables;
using Koppel.Azure.Tests.Infrastructure;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;

namespace Koppel.Azure.Tests.Tables;

[Collection(AzuriteCollection.Name)]
public sealed class TableDocumentRepositoryTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 8, 0, 0, TimeSpan.Zero);

    private readonly TestStorage _storage;
    private readonly TableDocumentRepository _documents;

    public TableDocumentRepositoryTests(AzuriteFixture azurite)
    {
        _storage = azurite.CreateIsolatedStorage();
        _documents = new TableDocumentRepository(_storage.Clients.Table(_storage.Names.DocumentsTable));
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _storage.DisposeAsync();

    [Fact]
    public async Task A_document_is_added_once_and_reads_back_with_every_field()
    {
        var document = Document("aa11", Monday) with
        {
            Number = "F2026-001",
            IssueDate = new DateOnly(2026, 11, 15),
            Currency = "EUR",
            PayableAmount = 1234.56m,
            CounterpartyName = "Brouwerij De Koppel",
            CounterpartyVat = "BE0200065765",
            Attachments = [new ArchivedAttachment("invoice.pdf", "application/pdf", new string('b', 64), 2048)],
        };

        Assert.True(await _documents.TryAddAsync(document, default));
        Assert.False(await _documents.TryAddAsync(document with { FileName = "again.xml" }, default));

        var read = await _documents.GetAsync(document.DossierId, document.Id, default);
        Assert.NotNull(read);
        Assert.Equal(document.FileName, read.FileName);
        Assert.Equal(document.PayableAmount, read.PayableAmount);
        Assert.Equal(document.IssueDate, read.IssueDate);
        Assert.Equal(document.Attachments, read.Attachments);
        Assert.Equal(document with { Attachments = read.Attachments }, read);
    }

    [Fact]
    public async Task Documents_are_listed_by_received_date_range_oldest_first()
    {
        await _documents.TryAddAsync(Document("ff01", Monday.AddDays(2)), default);
        await _documents.TryAddAsync(Document("0a02", Monday.AddDays(1)), default);
        await _documents.TryAddAsync(Document("cc03", Monday), default);
        await _documents.TryAddAsync(Document("bb04", Monday.AddDays(3)), default);

        var tuesdayToWednesday = await _documents.ListAsync("0123456749", Monday.AddDays(1), Monday.AddDays(3), default).ToListAsync();
        var all = await _documents.ListAsync("0123456749", null, null, default).ToListAsync();

        Assert.Equal(["0a02", "ff01"], tuesdayToWednesday.Select(d => d.Id));
        Assert.Equal(["cc03", "0a02", "ff01", "bb04"], all.Select(d => d.Id));
    }

    private static DocumentRecord Document(string id, DateTimeOffset receivedAt) => new()
    {
        DossierId = "0123456749",
        Id = id,
        FileName = $"{id}.xml",
        Format = DocumentFormat.UblInvoice,
        Kind = DocumentKind.PurchaseInvoice,
        Size = 1000,
        Source = $"0123456749/{id}.xml",
        ReceivedAt = receivedAt,
    };
}
