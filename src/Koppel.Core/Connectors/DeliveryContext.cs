using Koppel.Core.Domain;

namespace Koppel.Core.Connectors;

/// <summary>Everything a connector needs to deliver one document.</summary>
public sealed class DeliveryContext
{
    private readonly Func<string, CancellationToken, Task<Stream>> _openContent;

    public DeliveryContext(
        string deliveryId,
        Dossier dossier,
        Connection connection,
        DocumentRecord document,
        ConnectorSettings settings,
        Func<string, CancellationToken, Task<Stream>> openContent)
    {
        DeliveryId = deliveryId;
        Dossier = dossier;
        Connection = connection;
        Document = document;
        Settings = settings;
        _openContent = openContent;
    }

    /// <summary>Stable across retries and crashes: use it for deterministic names and idempotency keys.</summary>
    public string DeliveryId { get; }

    public Dossier Dossier { get; }

    public Connection Connection { get; }

    public DocumentRecord Document { get; }

    public ConnectorSettings Settings { get; }

    /// <summary>Opens the document's own bytes, streamed from the archive.</summary>
    public Task<Stream> OpenDocumentAsync(CancellationToken cancellationToken) => _openContent(Document.Id, cancellationToken);

    /// <summary>Opens an embedded attachment (e.g. the PDF of a UBL invoice), streamed from the archive.</summary>
    public Task<Stream> OpenAttachmentAsync(ArchivedAttachment attachment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(attachment);
        return _openContent(attachment.ContentId, cancellationToken);
    }
}
