using Koppel.Cli.Api;

namespace Koppel.Cli.Commands;

/// <summary>
/// The settings of a new connection, from what was given on the command line and, for the rest, from the person at
/// the terminal, field by field as the provider's catalogue entry lists them. Secret fields are asked without echo and
/// go into the credentials (the server keeps them in its secret store); the others are options.
/// </summary>
internal static class ConnectionSetup
{
    private const int AsksPerRequiredField = 3;

    /// <summary>The settings split into options and credentials, or the reason they are not complete.</summary>
    public static (Dictionary<string, string> Options, Dictionary<string, string> Credentials, string? Problem) Collect(
        ConnectorEntry entry, IReadOnlyDictionary<string, string> given, IPrompter? prompter)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(given);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var credentials = new Dictionary<string, string>(StringComparer.Ordinal);
        var known = entry.Settings.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var unknown = given.Keys.Where(name => !known.Contains(name)).Order(StringComparer.Ordinal).ToList();
        if (unknown.Count > 0)
        {
            return (options, credentials, $"{entry.Provider} has no setting {string.Join(", ", unknown.Select(n => $"'{n}'"))}; its settings are {Names(entry.Settings)}.");
        }

        var missing = new List<string>();
        foreach (var field in entry.Settings)
        {
            var value = given.GetValueOrDefault(field.Name) ?? Ask(field, prompter);
            if (value is null)
            {
                if (field.Required)
                {
                    missing.Add(field.Name);
                }

                continue; // an optional field left empty takes the server's default
            }

            (field.Secret ? credentials : options)[field.Name] = value;
        }

        return missing.Count == 0
            ? (options, credentials, null)
            : (options, credentials, $"{entry.Provider} needs {string.Join(", ", missing)}: give {(missing.Count == 1 ? "it" : "them")} with --set name=value "
                + "(a secret better with --secret-from-env name=VARIABLE), or run the command in a terminal to be asked.");
    }

    /// <summary>The catalogue's fields as a person reads them: required ones marked, secrets said to be secret.</summary>
    public static string Describe(IEnumerable<SettingField> fields) =>
        string.Join(", ", fields.Select(f => f.Name + (f.Required ? "*" : "") + (f.Secret ? " (secret)" : "")));

    private static string Names(IEnumerable<SettingField> fields) => string.Join(", ", fields.Select(f => f.Name));

    private static string? Ask(SettingField field, IPrompter? prompter)
    {
        if (prompter is null)
        {
            return null;
        }

        var question = $"{field.Name} ({field.Description}{(field.DefaultValue is null ? "" : $"; default {field.DefaultValue}")}){(field.Required ? " [required]" : "")}{(field.Secret ? " [hidden]" : "")}: ";
        for (var ask = 0; ask < (field.Required ? AsksPerRequiredField : 1); ask++)
        {
            if (prompter.Ask(question, field.Secret) is { } answer)
            {
                return answer;
            }
        }

        return null;
    }
}
