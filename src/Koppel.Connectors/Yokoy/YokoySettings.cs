using Koppel.Connectors.Common;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Yokoy;

/// <summary>
/// Settings of a Yokoy connection: the API client a Yokoy admin created (Admin → Developer: client id and secret),
/// the organisation id, and the legal entity (company) the invoices go to, chosen from the connection test's list.
/// </summary>
public sealed class YokoySettings
{
    public const string ClientIdKey = "clientId";
    public const string ClientSecretKey = "clientSecret";
    public const string OrganizationKey = "organizationId";
    public const string LegalEntityKey = "legalEntityId";

    private YokoySettings()
    {
    }

    public string ClientId { get; private init; } = string.Empty;

    public string ClientSecret { get; private init; } = string.Empty;

    public string OrganizationId { get; private init; } = string.Empty;

    /// <summary>Null only while the connection test is asked which legal entities the client reaches.</summary>
    public string? LegalEntityId { get; private init; }

    public YokoyLogin Login => new(ClientId, ClientSecret);

    internal SecretRedactor Redactor => new(ClientSecret);

    public static IReadOnlyList<SettingField> Fields { get; } =
    [
        new(ClientIdKey, "Client ID of the Yokoy API client (Yokoy: Admin → Developer).", Required: true),
        new(ClientSecretKey, "Client secret of that API client.", Required: true, Secret: true),
        new(OrganizationKey, "Yokoy organisation ID.", Required: true),
        new(LegalEntityKey, "Yokoy legal entity (company) that receives the purchase invoices; the connection test lists them.", Required: true),
    ];

    public static YokoySettings From(ConnectorSettings settings, bool forTest = false)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var problems = new SettingsProblems();
        var clientId = SettingsReader.Required(settings, ClientIdKey, problems, "the Yokoy client ID");
        var secret = settings.Get(ClientSecretKey) is { Length: > 0 } s ? s : string.Empty;
        if (secret.Length == 0)
        {
            problems.Add($"'{ClientSecretKey}' (the Yokoy client secret) is required.");
        }

        var organization = SettingsReader.Required(settings, OrganizationKey, problems, "the Yokoy organisation ID");
        CheckId(organization, OrganizationKey, problems);
        var legalEntity = forTest ? SettingsReader.Optional(settings, LegalEntityKey) : SettingsReader.Required(settings, LegalEntityKey, problems, "the Yokoy legal entity; the connection test lists them");
        CheckId(legalEntity, LegalEntityKey, problems);
        problems.ThrowIfAny("Yokoy");
        return new YokoySettings { ClientId = clientId, ClientSecret = secret, OrganizationId = organization, LegalEntityId = legalEntity };
    }

    /// <summary>Yokoy ids are short tokens of letters, digits and '-'; anything else would change the URL path.</summary>
    private static void CheckId(string? value, string key, SettingsProblems problems)
    {
        if (!string.IsNullOrEmpty(value) && value.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not '-' and not '_'))
        {
            problems.Add($"'{key}' may hold only letters, digits, '-' and '_', not '{value}'.");
        }
    }

    public override string ToString() => $"yokoy client {ClientId}, organisation {OrganizationId}, legal entity {LegalEntityId}";
}

/// <summary>The client credentials of one connection, carried on each request to the token handler; never printed.</summary>
public sealed record YokoyLogin(string ClientId, string ClientSecret)
{
    public override string ToString() => $"client {ClientId}";
}
