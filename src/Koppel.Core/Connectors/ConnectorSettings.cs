namespace Koppel.Core.Connectors;

/// <summary>
/// A connection's settings as a connector sees them: the non-secret options and the credentials, merged.
/// <see cref="ToString"/> never shows a secret value.
/// </summary>
public sealed class ConnectorSettings
{
    private readonly IReadOnlyDictionary<string, string> _options;
    private readonly IReadOnlyDictionary<string, string> _secrets;

    public ConnectorSettings(IReadOnlyDictionary<string, string> options, IReadOnlyDictionary<string, string> secrets)
    {
        _options = options;
        _secrets = secrets;
    }

    /// <summary>The credentials, for the code that stores them again (never for display).</summary>
    internal IReadOnlyDictionary<string, string> Secrets => _secrets;

    public static ConnectorSettings Empty { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>
    /// The kinds of document the connection takes, when the settings are checked on save
    /// (<see cref="IConnector.ValidateSettings"/>): a setting needed for one kind only is required only when the
    /// connection takes that kind. Empty when unknown (a delivery or a connection test).
    /// </summary>
    public IReadOnlyCollection<Domain.DocumentKind> DocumentKinds { get; init; } = [];

    public string? Get(string name) =>
        _secrets.TryGetValue(name, out var secret) ? secret
        : _options.TryGetValue(name, out var value) ? value
        : null;

    public string Require(string name) =>
        Get(name) is { Length: > 0 } value ? value : throw new ConnectorConfigurationException($"The setting '{name}' is missing.");


    public override string ToString() =>
        $"options: {string.Join(", ", _options.Keys)}; secrets: {string.Join(", ", _secrets.Keys)} (values hidden)";
}

/// <summary>A connection is set up wrongly; retrying will not help.</summary>
public sealed class ConnectorConfigurationException : Exception
{
    public ConnectorConfigurationException()
    {
    }

    public ConnectorConfigurationException(string message)
        : base(message)
    {
    }

    public ConnectorConfigurationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
