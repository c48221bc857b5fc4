using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;

namespace Koppel.Connectors.Tests.Support;

/// <summary>A document with its bytes (and those of its attachments) kept in memory, ready to be delivered.</summary>
public sealed class TestDocument
{
    private readonly Dictionary<string, byte[]> _contents = new(StringComparer.Ordinal);

    public TestDocument(string fileName, byte[] content, DocumentKind kind = DocumentKind.PurchaseInvoice, DocumentFormat format = DocumentFormat.UblInvoice, string? number = "INV-2026-0042")
    {
        var id = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        _contents[id] = content;
        Record = new DocumentRecord
        {
            DossierId = TestDeliveries.DossierId,
            Id = id,
            FileName = fileName,
            Format = format,
            Kind = kind,
            Size = content.Length,
            Number = number,
            Source = "inbox/test",
        };
    }

    public DocumentRecord Record { get; private set; }

    public byte[] Content => _contents[Record.Id];

    public TestDocument WithAttachment(string fileName, string mimeType, byte[] content)
    {
        var contentId = "att-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        _contents[contentId] = content;
        Record = Record with { Attachments = [.. Record.Attachments, new ArchivedAttachment(fileName, mimeType, contentId, content.Length)] };
        return this;
    }

    public byte[] ContentOf(ArchivedAttachment attachment) => _contents[attachment.ContentId];

    /// <summary>Counts how often a content stream was opened, to prove an idempotent retry skipped the upload.</summary>
    public int OpenCount { get; private set; }

    public Task<Stream> OpenAsync(string contentId, CancellationToken cancellationToken)
    {
        OpenCount++;
        return Task.FromResult<Stream>(new MemoryStream(_contents[contentId], writable: false));
    }
}

public static class TestDeliveries
{
    public const string DossierId = "0123456749";

    public static Dossier Dossier { get; } = new()
    {
        Id = DossierId,
        Name = "Bakkerij Peeters BV",
        EnterpriseNumber = DossierId,
        VatNumber = "BE" + DossierId,
    };

    public static ConnectorSettings Settings(IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, string>? secrets = null) =>
        new(options, secrets ?? new Dictionary<string, string>());

    public static DeliveryContext Context(TestDocument document, ConnectorSettings settings, string provider, string? deliveryId = null) =>
        new(
            deliveryId ?? DeliveryIds.For(document.Record.Id, "conn-1"),
            Dossier,
            new Connection
            {
                Id = "conn-1",
                DossierId = DossierId,
                Provider = provider,
                DocumentKinds = new HashSet<DocumentKind>(Enum.GetValues<DocumentKind>()),
            },
            document.Record,
            settings,
            document.OpenAsync);

    public static byte[] RandomBytes(int length, int seed)
    {
        var bytes = new byte[length];
        new Random(seed).NextBytes(bytes);
        return bytes;
    }

    public static byte[] Ubl(string number) =>
        System.Text.Encoding.UTF8.GetBytes($"<?xml version=\"1.0\" encoding=\"UTF-8\"?><Invoice xmlns=\"urn:oasis:names:specification:ubl:schema:xsd:Invoice-2\"><cbc:ID xmlns:cbc=\"urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2\">{number}</cbc:ID></Invoice>");
}
