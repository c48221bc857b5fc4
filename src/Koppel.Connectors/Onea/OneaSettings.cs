using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Onea;

/// <summary>The accounting package behind the Onea bridge; each has its own Onea portal that issues the dossier's API key.</summary>
public enum OneaPlatform
{
    Exact,
    Venice,
    Octopus,
}

/// <summary>Settings of an Onea connection: the dossier's API key (secret) and the platform whose Onea bridge issued it.</summary>
public sealed class OneaSettings
{
    public const string ApiKeyKey = "apiKey";
    public const string PlatformKey = "platform";

    /// <summary>Where the user gets the API key for each platform (docs/providers.md §10).</summary>
    public static readonly IReadOnlyDictionary<OneaPlatform, string> Portals = new Dictionary<OneaPlatform, string>
    {
        [OneaPlatform.Exact] = "eis.onea.be",
        [OneaPlatform.Venice] = "vis.onea.be",
        [OneaPlatform.Octopus] = "ois.onea.be",
    };

    private OneaSettings()
    {
    }

    public string ApiKey { get; private init; } = string.Empty;

    public OneaPlatform Platform { get; private init; }

    internal SecretRedactor Redactor => new(ApiKey);

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(PlatformKey, "The accounting package the dossier's Onea bridge feeds: exact (key from eis.onea.be), venice (vis.onea.be) or octopus (ois.onea.be).", Required: true),
        new(ApiKeyKey, "The dossier's Onea API key, from the Onea portal of that package.", Required: true, Secret: true),
    ];

    public static OneaSettings From(ConnectorSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();
        var key = settings.Get(ApiKeyKey) is { Length: > 0 } k ? k.Trim() : string.Empty;
        if (key.Length == 0)
        {
            problems.Add($"'{ApiKeyKey}' (the dossier's Onea API key) is required.");
        }

        var platformText = SettingsReader.Required(settings, PlatformKey, problems, "exact, venice or octopus");
        var platform = OneaPlatform.Exact;
        if (platformText.Length > 0 && (!Enum.TryParse(platformText, ignoreCase: true, out platform) || !Enum.IsDefined(platform)))
        {
            problems.Add($"'{PlatformKey}' must be exact, venice or octopus, not '{platformText}'.");
        }

        problems.ThrowIfAny("Onea");
        return new OneaSettings { ApiKey = key, Platform = platform };
    }

    public override string ToString() => $"onea {Platform}";
}
