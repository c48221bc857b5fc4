namespace Koppel.Core.Connectors;

/// <summary>All connectors this build knows, by provider key.</summary>
public sealed class ConnectorCatalog
{
    private readonly Dictionary<string, IConnector> _byProvider;

    public ConnectorCatalog(IEnumerable<IConnector> connectors)
    {
        _byProvider = connectors.ToDictionary(c => c.Descriptor.Provider, StringComparer.OrdinalIgnoreCase);
    }

    public IReadOnlyCollection<ConnectorDescriptor> Descriptors =>
        _byProvider.Values.Select(c => c.Descriptor).OrderBy(d => d.Provider, StringComparer.Ordinal).ToList();

    public IConnector? Find(string provider) => _byProvider.GetValueOrDefault(provider);
}
