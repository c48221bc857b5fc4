using System.Text.Json;
using System.Text.RegularExpressions;

namespace Koppel.Functions.Tests.Support;

/// <summary>
/// local.settings.sample.json as the Functions host hands it to the worker: its Values as configuration keys
/// (a double underscore is a section separator), with each &lt;placeholder&gt; filled in the way an operator would.
/// </summary>
public static partial class SettingsTemplate
{
    public static Dictionary<string, string?> Values(bool fillPlaceholders = true)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(FunctionsBuild.PathOf("local.settings.sample.json")));
        return json.RootElement.GetProperty("Values").EnumerateObject().ToDictionary(
            v => v.Name.Replace("__", ":", StringComparison.Ordinal),
            v => fillPlaceholders ? Placeholder().Replace(v.Value.GetString()!, "koppeltest") : v.Value.GetString(),
            StringComparer.OrdinalIgnoreCase);
    }

    [GeneratedRegex("<[a-z-]+>")]
    private static partial Regex Placeholder();
}
