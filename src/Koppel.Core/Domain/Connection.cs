namespace Koppel.Core.Domain;

/// <summary>
/// A link from a dossier to one accounting package or delivery channel, for some document kinds.
/// Holds only the <em>name</em> of the secret with its credentials, never the credentials themselves.
/// </summary>
public sealed record Connection
{
    public required string Id { get; init; }

    public required string DossierId { get; init; }

    /// <summary>The connector's key, e.g. "sftp", "email", "local-folder".</summary>
    public required string Provider { get; init; }

    public string? DisplayName { get; init; }

    public required IReadOnlySet<DocumentKind> DocumentKinds { get; init; }

    /// <summary>Non-secret settings of the connector (host, path, addresses…).</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();

    /// <summary>Name of the secret in the secret store holding the credentials, or null when the connector needs none.</summary>
    public string? SecretName { get; init; }

    public bool Enabled { get; init; } = true;

    public ConnectionHealth Health { get; init; } = ConnectionHealth.Unknown;

    public DateTimeOffset CreatedAt { get; init; }

    public DateTimeOffset UpdatedAt { get; init; }

    public bool Wants(DocumentKind kind) => Enabled && DocumentKinds.Contains(kind);
}
