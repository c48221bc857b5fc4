namespace Koppel.Core.Connectors;

/// <summary>
/// A file target whose receivers may acknowledge what Koppel put there by moving the file into a <c>processed/</c> or
/// <c>error/</c> folder beside it (an optional convention, switched on per connection). The reader looks where each
/// delivered file went; it never moves or changes anything.
/// </summary>
public interface IAcknowledgementReader
{
    /// <summary>
    /// What became of each delivered file, by the delivery reference the connector returned for it. Connections that
    /// do not use the convention answer <see cref="AcknowledgementStatus.NotUsed"/> for every reference.
    /// </summary>
    Task<IReadOnlyList<Acknowledgement>> ReadAcknowledgementsAsync(ConnectorSettings settings, IReadOnlyList<string> deliveredReferences, CancellationToken cancellationToken);

    /// <summary>
    /// Whether a connection with these settings uses the convention: only then are its deliveries kept in the read-back
    /// index. True unless the connector says otherwise.
    /// </summary>
    bool UsesAcknowledgements(ConnectorSettings settings) => true;
}

public enum AcknowledgementStatus
{
    /// <summary>The connection does not use the acknowledgement convention.</summary>
    NotUsed,

    /// <summary>The file is still where Koppel put it: the receiver has not picked it up yet.</summary>
    Waiting,

    /// <summary>The receiver moved the file to <c>processed/</c>.</summary>
    Processed,

    /// <summary>The receiver moved the file to <c>error/</c>.</summary>
    Rejected,

    /// <summary>The file is gone from its place and from both folders (deleted or moved elsewhere).</summary>
    Gone,
}

/// <summary>What became of one delivered file; <see cref="Location"/> is where it was found.</summary>
public sealed record Acknowledgement(string Reference, AcknowledgementStatus Status, string? Location = null);
