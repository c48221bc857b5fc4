using System.Globalization;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Common;

/// <summary>Reads typed values out of <see cref="ConnectorSettings"/>, reporting bad values as problems.</summary>
internal static class SettingsReader
{
    public static string? Optional(ConnectorSettings settings, string name) =>
        settings.Get(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    public static string Required(ConnectorSettings settings, string name, SettingsProblems problems, string meaning)
    {
        var value = Optional(settings, name);
        if (value is null)
        {
            problems.Add($"'{name}' ({meaning}) is required.");
            return string.Empty;
        }

        return value;
    }

    /// <summary>A host name or IP address; anything else would only fail later, deep inside a client library.</summary>
    public static string Host(ConnectorSettings settings, string name, SettingsProblems problems, string meaning)
    {
        var host = Required(settings, name, problems, meaning);
        if (host.Length > 0 && Uri.CheckHostName(host.Trim('[', ']')) == UriHostNameType.Unknown)
        {
            problems.Add($"'{name}' must be a host name or IP address, not '{host}'.");
        }

        return host;
    }

    public static int Port(ConnectorSettings settings, string name, int defaultValue, SettingsProblems problems)
    {
        var text = Optional(settings, name);
        if (text is null)
        {
            return defaultValue;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port is > 0 and <= 65535)
        {
            return port;
        }

        problems.Add($"'{name}' must be a port number between 1 and 65535, not '{text}'.");
        return defaultValue;
    }
}
