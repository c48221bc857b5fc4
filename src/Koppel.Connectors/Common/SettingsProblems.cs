using Koppel.Core.Connectors;

namespace Koppel.Connectors.Common;

/// <summary>
/// Collects everything wrong with a connection's settings, so the user sees all problems at once
/// instead of fixing them one save at a time.
/// </summary>
internal sealed class SettingsProblems
{
    private readonly List<string> _problems = [];

    public void Add(string problem) => _problems.Add(problem);

    public void ThrowIfAny(string connectorName)
    {
        if (_problems.Count > 0)
        {
            throw new ConnectorConfigurationException(
                $"The {connectorName} connection is not set up correctly: {string.Join(" ", _problems)}");
        }
    }
}
