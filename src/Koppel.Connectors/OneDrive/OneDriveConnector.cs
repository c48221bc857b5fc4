using System.Net;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Ports;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Refit;

namespace Koppel.Connectors.OneDrive;

/// <summary>
/// OneDrive for Business and SharePoint document libraries through Microsoft Graph, with the user's delegated consent
/// (authorisation code with <c>offline_access</c>) or, in application mode, the tenant's own app registration (client
/// credentials for <c>https://graph.microsoft.com/.default</c>, no user). Every kind of document is handed over as a file into the chosen
/// drive and folder, under a path built from the connection's template. Entra ID rotates refresh tokens: each new one is
/// in the secret store before the access token that came with it is used.
/// </summary>
public sealed class OneDriveConnector : IConnector, IOAuthConsentConnector, IAcknowledgementReader
{
    public const string ProviderKey = "onedrive";
    public const string HttpClientName = "onedrive";

    private readonly IHttpClientFactory _httpClients;
    private readonly OAuthTokenKeeper _tokens;
    private readonly ISecretStore _secrets;
    private readonly OneDriveOptions _options;
    private readonly OAuthProvider _provider;
    private readonly OneDriveAppTokens _appTokens;

    internal OneDriveConnector(IHttpClientFactory httpClients, OAuthTokenKeeper tokens, OneDriveAppTokens appTokens, ISecretStore secrets, IOptions<OneDriveOptions> options)
    {
        _httpClients = httpClients;
        _tokens = tokens;
        _appTokens = appTokens;
        _secrets = secrets;
        _options = options.Value;
        _provider = new OAuthProvider(ProviderKey, "OneDrive", _options.RefreshMargin);
    }

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "OneDrive for Business",
        Capabilities = HandOver.Capabilities | ConnectorCapabilities.OAuthConsent,
        Delivers = HandOver.AllKinds,
        Settings = OneDriveSettings.Fields,
        Notes = "Connect with POST …/connections/{id}/consent (a work account of the tenant signs in at Microsoft and allows offline access), then the connection test "
            + "lists the drives ('driveId') and the top folders ('folder'). Or, with auth 'application', the connection uses an app registration of the tenant "
            + "(tenant, clientId, clientSecret; client credentials, admin-consented Files.ReadWrite.All or Sites.ReadWrite.All; no consent round trip): the connection test "
            + "lists the drives of the user ('driveUser') or SharePoint site ('driveSite') named. Files are created with conflictBehavior=fail, never replaced: a different file under the same name stops the delivery "
            + "with a message; an earlier upload of the same document (same name, size and quickXorHash) counts as delivered. Files over 4 MB go through an upload "
            + "session in 320 KiB multiples. Throttling (429/503) is waited out as Graph's Retry-After says. Refresh tokens rotate and die after 90 days unused; "
            + "Koppel renews consents left unused for a week once a day. Optional acknowledgements: with 'acknowledgements' on, Koppel can read whether the receiver "
            + "moved a file into 'processed/' or 'error/' beside it; the read-back job (every 30 minutes) writes it into the document's history.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var settings = OneDriveSettings.From(context.Settings);
            if (settings.DriveId is not { } driveId)
            {
                return DeliveryResult.Permanent($"Pick the drive to deliver to: run the connection test and set '{OneDriveSettings.DriveIdKey}'.");
            }

            var files = DriveFiles.Plan(context, settings.Drive, settings.Folder, out var refusal);
            if (files is null)
            {
                return DeliveryResult.Permanent(refusal!);
            }

            var session = SessionFor(settings, context.Settings);
            foreach (var file in files)
            {
                await OneDriveUploader.PutAsync(session, driveId, file, cancellationToken);
            }

            return DeliveryResult.Delivered(files[^1].Path);
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return result;
        }
    }

    /// <summary>On save: tenant, drive id, folder, format and path templates (known placeholders only). The consent comes after saving.</summary>
    public void ValidateSettings(ConnectorSettings settings) => OneDriveSettings.From(settings);

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var parsed = OneDriveSettings.From(settings);
            var session = SessionFor(parsed, settings);
            var bearer = await session.TokenAsync(cancellationToken);
            if (parsed.Application)
            {
                return await TestApplicationAsync(parsed, session, bearer, cancellationToken);
            }

            using var meResponse = await session.Api.MeAsync(bearer, "id,displayName,userPrincipalName", cancellationToken);
            var me = meResponse.IsSuccessStatusCode && meResponse.Content is { } m ? m : throw session.Refused(meResponse, "user look-up");
            using var drivesResponse = await session.Api.MyDrivesAsync(bearer, cancellationToken);
            var drives = drivesResponse.IsSuccessStatusCode && drivesResponse.Content is { } d ? d.Items : throw session.Refused(drivesResponse, "drive list");
            var choices = drives
                .Where(drive => drive.Id is { Length: > 0 })
                .Select(drive => new ConnectionChoice(OneDriveSettings.DriveIdKey, drive.Id!, $"{drive.Name ?? "OneDrive"} ({drive.DriveType ?? "drive"})"))
                .ToList();
            var who = me.DisplayName ?? me.UserPrincipalName ?? "the Microsoft user";
            if (parsed.DriveId is not { } driveId)
            {
                return new ConnectionTestResult(true, $"Connected to OneDrive as {who}. Pick the drive to deliver to ('{OneDriveSettings.DriveIdKey}').") { Choices = choices };
            }

            return await TestDriveAsync(parsed, session, bearer, driveId, $"Connected to OneDrive as {who}", choices, cancellationToken);
        }
        catch (GraphFailure e)
        {
            return new ConnectionTestResult(false, e.Result.Reason ?? "OneDrive refused the test.") { CredentialsRejected = e.CredentialsRejected };
        }
        catch (OAuthConsentNeededException e)
        {
            return new ConnectionTestResult(false, e.Message) { CredentialsRejected = true, NeedsConsent = true };
        }
        catch (ConnectorConfigurationException e)
        {
            return new ConnectionTestResult(false, e.Message);
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return new ConnectionTestResult(false, result.Reason ?? "OneDrive could not be reached.");
        }
    }

    /// <summary>Application mode: no user to ask about; the drives of the user or site named, or the drive picked.</summary>
    private static async Task<ConnectionTestResult> TestApplicationAsync(OneDriveSettings parsed, GraphSession session, string bearer, CancellationToken cancellationToken)
    {
        var who = $"Connected to OneDrive with the app registration {parsed.ClientId} of tenant {parsed.Tenant}";
        var choices = new List<ConnectionChoice>();
        if (parsed.DriveUser is not null || parsed.DriveSite is not null)
        {
            using var drivesResponse = parsed.DriveUser is { } user
                ? await session.Api.UserDrivesAsync(bearer, user, cancellationToken)
                : await session.Api.SiteDrivesAsync(bearer, parsed.DriveSite!, cancellationToken);
            var drives = drivesResponse.IsSuccessStatusCode && drivesResponse.Content is { } d ? d.Items
                : throw session.Refused(drivesResponse, parsed.DriveUser is null ? $"drive list of site {parsed.DriveSite}" : $"drive list of user {parsed.DriveUser}");
            choices.AddRange(drives
                .Where(drive => drive.Id is { Length: > 0 })
                .Select(drive => new ConnectionChoice(OneDriveSettings.DriveIdKey, drive.Id!, $"{drive.Name ?? "OneDrive"} ({drive.DriveType ?? "drive"})")));
        }

        if (parsed.DriveId is not { } driveId)
        {
            return parsed.DriveUser is null && parsed.DriveSite is null
                ? new ConnectionTestResult(false, $"{who}. Name the user ('{OneDriveSettings.DriveUserKey}') or SharePoint site ('{OneDriveSettings.DriveSiteKey}') whose drives Koppel may use, then pick one ('{OneDriveSettings.DriveIdKey}').")
                : new ConnectionTestResult(true, $"{who}. Pick the drive to deliver to ('{OneDriveSettings.DriveIdKey}').") { Choices = choices };
        }

        return await TestDriveAsync(parsed, session, bearer, driveId, who, choices, cancellationToken);
    }

    private static async Task<ConnectionTestResult> TestDriveAsync(OneDriveSettings parsed, GraphSession session, string bearer, string driveId, string connected, List<ConnectionChoice> choices, CancellationToken cancellationToken)
    {
        using var driveResponse = await session.Api.DriveAsync(bearer, driveId, cancellationToken);
        var drive = driveResponse.IsSuccessStatusCode && driveResponse.Content is { } found ? found : throw session.Refused(driveResponse, "drive look-up");
        using var children = await session.Api.RootChildrenAsync(bearer, driveId, cancellationToken);
        if (children.IsSuccessStatusCode && children.Content is { } list)
        {
            choices.AddRange(list.Items
                .Where(item => item.Folder is not null && item.Name is { Length: > 0 })
                .Select(item => new ConnectionChoice(OneDriveSettings.FolderKey, "/" + item.Name, "/" + item.Name)));
        }

        var folderNote = string.Empty;
        if (parsed.Folder is { } folder && await session.ItemAsync(driveId, folder, cancellationToken) is null)
        {
            folderNote = $" The folder /{folder} does not exist yet; OneDrive creates it with the first file.";
        }

        return new ConnectionTestResult(true, $"{connected}; files go into {drive.Name ?? "the drive"}, folder /{parsed.Folder}.{folderNote}") { Choices = choices };
    }

    public Task<Uri> AuthorizationUrlAsync(ConnectorSettings settings, string state, CancellationToken cancellationToken)
    {
        var parsed = OneDriveSettings.From(settings);
        if (parsed.Application)
        {
            throw new ConnectorConfigurationException("This OneDrive connection uses an app registration (auth 'application'): it needs no sign-in; run the connection test instead.");
        }

        var query = string.Join('&', new[]
        {
            ("client_id", ClientId()),
            ("response_type", "code"),
            ("redirect_uri", RedirectUri().ToString()),
            ("response_mode", "query"),
            ("scope", _options.Scopes),
            ("state", state),
        }.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        return Task.FromResult(new Uri(_options.LoginUrl, $"{Uri.EscapeDataString(parsed.Tenant)}/oauth2/v2.0/authorize?{query}"));
    }

    public async Task<OAuthConsentResult> CompleteConsentAsync(ConnectorSettings settings, string code, CancellationToken cancellationToken)
    {
        var parsed = OneDriveSettings.From(settings);
        var form = await FormAsync(cancellationToken);
        form["grant_type"] = "authorization_code";
        form["code"] = code;
        form["redirect_uri"] = RedirectUri().ToString();
        using var response = await Login().TokenAsync(parsed.Tenant, form, cancellationToken);
        GraphResponses.ThrowIfNoAnswer(response);
        if (!response.IsSuccessStatusCode || response.Content is not { AccessToken.Length: > 0, RefreshToken.Length: > 0 } tokens)
        {
            var said = GraphResponses.Error(response);
            throw (int)(response.StatusCode ?? 0) >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
                ? new GraphFailure(DeliveryResult.Transient("Microsoft could not complete the sign-in right now; try connecting again in a moment."))
                : new OAuthConsentRefusedException($"Microsoft did not accept the sign-in{(said.Message ?? said.Code) switch { null => ".", var m => ": " + FirstLine(m) }} Start connecting to OneDrive again.");
        }

        using var meResponse = await Api().MeAsync(tokens.AccessToken, "id,displayName,userPrincipalName", cancellationToken);
        var me = meResponse.IsSuccessStatusCode && meResponse.Content is { Id.Length: > 0 } user ? user
            : throw new OAuthConsentRefusedException("Microsoft did not say who signed in; start connecting to OneDrive again.");

        // One consent per Microsoft user: connecting the same user again replaces the tokens for every connection using it.
        var consentId = "u-" + new string([.. me.Id!.Where(c => char.IsAsciiLetterOrDigit(c) || c == '-')]);
        if (!OneDriveSettings.ConsentPattern().IsMatch(consentId))
        {
            throw new OAuthConsentRefusedException("Microsoft answered a user id Koppel cannot use; start connecting to OneDrive again.");
        }

        await _tokens.SaveConsentAsync(_provider, ConsentKey(parsed.Tenant, consentId), new OAuthTokenAnswer(tokens.AccessToken, tokens.ExpiresIn, tokens.RefreshToken), cancellationToken);
        return new OAuthConsentResult(
            new Dictionary<string, string> { [OneDriveSettings.ConsentIdKey] = consentId },
            $"Connected to OneDrive as {me.DisplayName ?? me.UserPrincipalName ?? "the Microsoft user"}. Run the connection test to pick the drive.");
    }

    /// <summary>Entra's refresh tokens die after about 90 days unused: renew a consent left unused for <paramref name="idleFor"/>.</summary>
    public async Task<ConsentUpkeep> KeepConsentAliveAsync(ConnectorSettings settings, TimeSpan idleFor, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (SettingsReader.Optional(settings, OneDriveSettings.ConsentIdKey) is not { } consentId)
        {
            return ConsentUpkeep.NotNeeded;
        }

        var tenant = SettingsReader.Optional(settings, OneDriveSettings.TenantKey) ?? "organizations";
        try
        {
            return await _tokens.KeepAliveAsync(_provider, ConsentKey(tenant, consentId), idleFor, (refresh, ct) => RefreshAsync(tenant, refresh, ct), cancellationToken)
                ? ConsentUpkeep.Renewed
                : ConsentUpkeep.NotNeeded;
        }
        catch (OAuthConsentNeededException e)
        {
            return new ConsentUpkeep(ConsentUpkeepOutcome.Refused, e.Message);
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return new ConsentUpkeep(ConsentUpkeepOutcome.TryLater, result.Reason);
        }
    }

    /// <summary>Only connections with the acknowledgement convention switched on are read back.</summary>
    public bool UsesAcknowledgements(ConnectorSettings settings)
    {
        try
        {
            return OneDriveSettings.From(settings).Drive.Acknowledgements;
        }
        catch (ConnectorConfigurationException)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<Acknowledgement>> ReadAcknowledgementsAsync(ConnectorSettings settings, IReadOnlyList<string> deliveredReferences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveredReferences);
        var parsed = OneDriveSettings.From(settings);
        if (!parsed.Drive.Acknowledgements || parsed.DriveId is not { } driveId)
        {
            return [.. deliveredReferences.Select(r => new Acknowledgement(r, AcknowledgementStatus.NotUsed))];
        }

        var session = SessionFor(parsed, settings);
        var found = new List<Acknowledgement>(deliveredReferences.Count);
        foreach (var reference in deliveredReferences)
        {
            var (processed, error) = DriveFiles.AcknowledgementPaths(reference);
            found.Add(await session.ItemAsync(driveId, processed, cancellationToken) is not null ? new Acknowledgement(reference, AcknowledgementStatus.Processed, processed)
                : await session.ItemAsync(driveId, error, cancellationToken) is not null ? new Acknowledgement(reference, AcknowledgementStatus.Rejected, error)
                : await session.ItemAsync(driveId, reference, cancellationToken) is not null ? new Acknowledgement(reference, AcknowledgementStatus.Waiting, reference)
                : new Acknowledgement(reference, AcknowledgementStatus.Gone));
        }

        return found;
    }

    /// <summary>The secret-store key of a consent: the tenant is part of it, so the same user id in two tenants never shares tokens.</summary>
    private static string ConsentKey(string tenant, string consentId) =>
        new string([.. tenant.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]) + "-" + consentId;

    private GraphSession SessionFor(OneDriveSettings settings, ConnectorSettings connection)
    {
        if (settings.Application)
        {
            var app = settings.AppLogin(connection);
            var login = Login();
            return new GraphSession(Api(), _httpClients.CreateClient(HttpClientName), ct => _appTokens.AccessTokenAsync(login, app, ct), () => _appTokens.Forget(app), _options);
        }

        var consentId = settings.ConsentId ?? throw new OAuthConsentNeededException(_provider.NotConnectedMessage);
        var key = ConsentKey(settings.Tenant, consentId);
        return new GraphSession(
            Api(),
            _httpClients.CreateClient(HttpClientName),
            ct => _tokens.AccessTokenAsync(_provider, key, (refresh, c) => RefreshAsync(settings.Tenant, refresh, c), ct),
            () => _tokens.Forget(_provider, key),
            _options);
    }

    private async Task<OAuthTokenAnswer> RefreshAsync(string tenant, string refreshToken, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        form["grant_type"] = "refresh_token";
        form["refresh_token"] = refreshToken;
        using var response = await Login().TokenAsync(tenant, form, cancellationToken);
        GraphResponses.ThrowIfNoAnswer(response);
        if (response.IsSuccessStatusCode && response.Content is { AccessToken.Length: > 0 } tokens)
        {
            return new OAuthTokenAnswer(tokens.AccessToken, tokens.ExpiresIn, tokens.RefreshToken);
        }

        var said = GraphResponses.Error(response);
        if (said.Code is "invalid_grant" or "interaction_required")
        {
            throw new OAuthRefreshRefusedException(said.Message is { } m ? $"{said.Code}: {FirstLine(m)}" : said.Code);
        }

        if (said.Code is "invalid_client" or "unauthorized_client")
        {
            throw new ConnectorConfigurationException("Microsoft does not accept Koppel's app registration (client id or secret): the operator must check Koppel:Providers:OneDrive.");
        }

        throw GraphResponses.Failure(response, "renewal of the sign-in");
    }

    private IGraphApi Api()
    {
        var client = _httpClients.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(_options.BaseUrl.ToString().TrimEnd('/'));
        return RestService.For<IGraphApi>(client, GraphJson.RefitSettings);
    }

    private IEntraLogin Login()
    {
        var client = _httpClients.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(_options.LoginUrl.ToString().TrimEnd('/'));
        return RestService.For<IEntraLogin>(client, GraphJson.RefitSettings);
    }

    private string ClientId() => _options.ClientId is { Length: > 0 } id ? id
        : throw new ConnectorConfigurationException("Koppel's OneDrive app is not set up: the operator must set Koppel:Providers:OneDrive:ClientId.");

    private Uri RedirectUri() => _options.RedirectUri
        ?? throw new ConnectorConfigurationException("Koppel's OneDrive app has no redirect URI: the operator must set Koppel:Providers:OneDrive:RedirectUri.");

    private async Task<Dictionary<string, string>> FormAsync(CancellationToken cancellationToken)
    {
        var secret = _options.ClientSecret is { Length: > 0 } configured ? configured
            : await _secrets.GetAsync(_options.ClientSecretName, cancellationToken)
            ?? throw new ConnectorConfigurationException($"Koppel's OneDrive app is not set up: the operator must put the client secret in the secret store as '{_options.ClientSecretName}'.");
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["client_id"] = ClientId(), ["client_secret"] = secret, ["scope"] = _options.Scopes };
    }

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', 2)[0].Trim().TrimEnd('.');
        return line + ".";
    }

    private static DeliveryResult? Understood(Exception e, CancellationToken cancellationToken) => e switch
    {
        GraphFailure f => f.Result,
        OAuthConsentNeededException c => DeliveryResult.ConnectionBroken(c.Message, needsConsent: true),
        ConnectorConfigurationException c => DeliveryResult.Permanent(c.Message),
        TimeoutException => DeliveryResult.Transient("Another Koppel worker is renewing the OneDrive sign-in of this connection; Koppel tries again shortly.", TimeSpan.FromSeconds(30)),
        TimeoutRejectedException => DeliveryResult.Transient("OneDrive did not answer in time; Koppel tries again later."),
        HttpRequestException h => DeliveryResult.Transient($"OneDrive could not be reached: {h.Message}"),
        TaskCanceledException when !cancellationToken.IsCancellationRequested => DeliveryResult.Transient("OneDrive did not answer in time; Koppel tries again later."),
        _ => null,
    };
}
