namespace Koppel.Core.Ports;

/// <summary>
/// The only place credentials live. Everything else stores a secret's name.
/// Implementations never log or put a value in an exception message.
/// </summary>
public interface ISecretStore
{
    Task SetAsync(string name, string value, CancellationToken cancellationToken);

    /// <summary>The value, or null when no secret has that name.</summary>
    Task<string?> GetAsync(string name, CancellationToken cancellationToken);

    Task DeleteAsync(string name, CancellationToken cancellationToken);
}
