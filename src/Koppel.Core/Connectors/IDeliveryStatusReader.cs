namespace Koppel.Core.Connectors;

/// <summary>
/// A connector whose provider processes a delivered document later and can be asked what became of it, by the
/// reference <see cref="IConnector.DeliverAsync"/> returned (e.g. Onea's uuid). The answer is for the document's
/// history; it never changes the delivery's own result.
/// </summary>
public interface IDeliveryStatusReader
{
    Task<ProviderStatus> ReadStatusAsync(ConnectorSettings settings, string reference, CancellationToken cancellationToken);
}

public enum ProviderStatusKind
{
    /// <summary>Still being processed: ask again later.</summary>
    Pending,

    /// <summary>The provider finished with it (e.g. the invoice reached the accounting package).</summary>
    Processed,

    /// <summary>The provider gave up on it; <see cref="ProviderStatus.Message"/> says why.</summary>
    Failed,
}

/// <summary>What the provider says about one delivered document, in the user's words, and its own id when it gave one.</summary>
public sealed record ProviderStatus(ProviderStatusKind Kind, string Message)
{
    public string? ProviderId { get; init; }
}
