using Koppel.Core.Domain;

namespace Koppel.Core.Connectors;

/// <summary>
/// One accounting package or delivery channel. A connector is stateless: everything it needs for one
/// delivery comes in the <see cref="DeliveryContext"/>.
/// </summary>
public interface IConnector
{
    ConnectorDescriptor Descriptor { get; }

    /// <summary>
    /// Delivers one document. Must be safe to call again for the same <see cref="DeliveryContext.DeliveryId"/>
    /// after a crash: use the provider's own references or deterministic names so a retry never books twice.
    /// Returns a result rather than throwing for failures it understands; an unexpected exception is treated as transient.
    /// </summary>
    Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken);

    /// <summary>Checks the settings and credentials against the provider without delivering anything.</summary>
    Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken);

    /// <summary>
    /// Checks the settings without contacting anyone, when a connection is saved; throws
    /// <see cref="ConnectorConfigurationException"/> naming each bad setting.
    /// </summary>
    void ValidateSettings(ConnectorSettings settings)
    {
    }
}

/// <summary>
/// The outcome of a connection test, in the user's words, and what the user must choose next: e.g. the Yuki
/// administrations or Exact divisions the credentials reach. <see cref="ConnectionChoice.Setting"/> names the
/// connection setting the chosen value goes into.
/// </summary>
public sealed record ConnectionTestResult(bool Success, string Message)
{
    public IReadOnlyList<ConnectionChoice> Choices { get; init; } = [];

    /// <summary>True when the provider refused the credentials themselves (as opposed to a network problem).</summary>
    public bool CredentialsRejected { get; init; }

    /// <summary>Settings learned by the test, kept on the connection where it has no value yet (see <see cref="DeliveryResult.LearnedSettings"/>).</summary>
    public IReadOnlyDictionary<string, string> LearnedSettings { get; init; } = new Dictionary<string, string>();

    /// <summary>True when an OAuth consent is missing or expired: the user must connect at the provider again.</summary>
    public bool NeedsConsent { get; init; }
}

/// <summary>One value the user can pick for a setting, with the label the provider shows for it.</summary>
public sealed record ConnectionChoice(string Setting, string Value, string Label);
