using System.Net;
using Koppel.Connectors.Common;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Ports;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using Refit;

namespace Koppel.Connectors.Dropbox;

/// <summary>
/// Dropbox (API v2, OAuth2 with offline access). Every kind of document is handed over as a file, under a path built
/// from the connection's template; a UBL goes as UBL and/or its embedded PDF, as the connection's format says. The
/// connection is authorised by the Dropbox user's consent (<see cref="IOAuthConsentConnector"/>); the refresh token
/// lives in the secret store only. Receivers that move handled files to <c>processed/</c> or <c>error/</c> are read
/// back through <see cref="IAcknowledgementReader"/>.
/// </summary>
public sealed class DropboxConnector : IConnector, IOAuthConsentConnector, IAcknowledgementReader
{
    public const string ProviderKey = "dropbox";
    public const string HttpClientName = "dropbox";

    private readonly IHttpClientFactory _httpClients;
    private readonly OAuthTokenKeeper _tokens;
    private readonly ISecretStore _secrets;
    private readonly DropboxOptions _options;
    private readonly OAuthProvider _provider;

    internal DropboxConnector(IHttpClientFactory httpClients, OAuthTokenKeeper tokens, ISecretStore secrets, IOptions<DropboxOptions> options)
    {
        _httpClients = httpClients;
        _tokens = tokens;
        _secrets = secrets;
        _options = options.Value;
        _provider = new OAuthProvider(ProviderKey, "Dropbox", _options.RefreshMargin);
    }

    public ConnectorDescriptor Descriptor { get; } = new()
    {
        Provider = ProviderKey,
        DisplayName = "Dropbox",
        Capabilities = HandOver.Capabilities | ConnectorCapabilities.OAuthConsent,
        Delivers = HandOver.AllKinds,
        Settings = DropboxSettings.Fields,
        Notes = "Connect with POST …/connections/{id}/consent (the user signs in at Dropbox and allows offline access); the refresh token stays in Koppel's secret store. "
            + "Files are added, never overwritten: a different file under the same name stops the delivery with a message; an earlier upload of the same document "
            + "(same name, same content_hash) counts as delivered. Files over 150 MB go through an upload session. For a Dropbox team, the connection test offers the "
            + "team space ('namespaceId'). Dropbox publishes no fixed rate limits: a 429 (also too_many_write_operations) is waited out as Dropbox's Retry-After says. "
            + "Optional acknowledgements: with 'acknowledgements' on, Koppel reads whether the receiver moved a file into 'processed/' or 'error/' beside it "
            + "and the read-back job (every 30 minutes) writes it into the document's history.",
    };

    public async Task<DeliveryResult> DeliverAsync(DeliveryContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        try
        {
            var settings = DropboxSettings.From(context.Settings);
            var files = DriveFiles.Plan(context, settings.Drive, null, out var refusal);
            if (files is null)
            {
                return DeliveryResult.Permanent(refusal!);
            }

            var session = SessionFor(settings);
            DropboxFileMetadata? last = null;
            foreach (var file in files)
            {
                last = await DropboxUploader.PutAsync(session, file, cancellationToken);
            }

            return DeliveryResult.Delivered(last?.PathDisplay ?? files[^1].Path);
        }
        catch (Exception e) when (Understood(e, cancellationToken) is { } result)
        {
            return result;
        }
    }

    /// <summary>On save: format, path templates (known placeholders only) and the namespace id. The consent comes after saving.</summary>
    public void ValidateSettings(ConnectorSettings settings) => DropboxSettings.From(settings);

    public async Task<ConnectionTestResult> TestConnectionAsync(ConnectorSettings settings, CancellationToken cancellationToken)
    {
        try
        {
            var parsed = DropboxSettings.From(settings);
            var session = SessionFor(parsed);
            var bearer = await session.TokenAsync(cancellationToken);
            using var response = await session.Api.CurrentAccountAsync(bearer, cancellationToken);
            var account = response.IsSuccessStatusCode && response.Content is { } a ? a : throw session.Refused(response, "account look-up");
            var who = account.Name?.DisplayName ?? account.Email ?? "the Dropbox user";
            var choices = new List<ConnectionChoice>();
            var teamRoot = account.RootInfo is { RootNamespaceId: { Length: > 0 } root, HomeNamespaceId: var home } && root != home ? root : null;
            if (teamRoot is not null)
            {
                choices.Add(new ConnectionChoice(DropboxSettings.NamespaceKey, teamRoot, $"Team space of {account.Team?.Name ?? "the team"}"));
            }

            var where = parsed.NamespaceId is { } ns
                ? (ns == teamRoot ? $"the team space of {account.Team?.Name ?? "the team"}" : $"namespace {ns}")
                : $"{who}'s own Dropbox";
            var hint = teamRoot is not null && parsed.NamespaceId is null
                ? $" This is a team account: to write into the team space, set '{DropboxSettings.NamespaceKey}' to {teamRoot}."
                : string.Empty;
            return new ConnectionTestResult(true, $"Connected to Dropbox as {who}; files go into {where}.{hint}") { Choices = choices };
        }
        catch (DropboxFailure e)
        {
            return new ConnectionTestResult(false, e.Result.Reason ?? "Dropbox refused the test.") { CredentialsRejected = e.CredentialsRejected };
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
            return new ConnectionTestResult(false, result.Reason ?? "Dropbox could not be reached.");
        }
    }

    public Task<Uri> AuthorizationUrlAsync(ConnectorSettings settings, string state, CancellationToken cancellationToken)
    {
        DropboxSettings.From(settings);
        var query = string.Join('&', new[]
        {
            ("client_id", AppKey()),
            ("response_type", "code"),
            ("token_access_type", "offline"),
            ("redirect_uri", RedirectUri().ToString()),
            ("state", state),
        }.Select(p => $"{p.Item1}={Uri.EscapeDataString(p.Item2)}"));
        return Task.FromResult(new Uri(_options.AuthUrl, "oauth2/authorize?" + query));
    }

    public async Task<OAuthConsentResult> CompleteConsentAsync(ConnectorSettings settings, string code, CancellationToken cancellationToken)
    {
        DropboxSettings.From(settings);
        var api = Api();
        var form = await FormAsync(cancellationToken);
        form["grant_type"] = "authorization_code";
        form["code"] = code;
        form["redirect_uri"] = RedirectUri().ToString();
        using var response = await api.TokenAsync(form, cancellationToken);
        DropboxResponses.ThrowIfNoAnswer(response);
        if (!response.IsSuccessStatusCode || response.Content is not { AccessToken.Length: > 0, RefreshToken.Length: > 0, AccountId.Length: > 0 } tokens)
        {
            var said = DropboxResponses.Error(response);
            throw (int)(response.StatusCode ?? 0) >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests
                ? new DropboxFailure(DeliveryResult.Transient("Dropbox could not complete the sign-in right now; try connecting again in a moment."))
                : new OAuthConsentRefusedException($"Dropbox did not accept the sign-in{(said.OAuthDescription ?? said.OAuthError) switch { null => ".", var m => ": " + m.TrimEnd('.') + "." }} Start connecting to Dropbox again.");
        }

        // One consent per Dropbox account: connecting the same account again replaces its tokens for every connection using it.
        var consentId = tokens.AccountId.Replace(':', '-');
        if (!DropboxSettings.ConsentPattern().IsMatch(consentId))
        {
            throw new OAuthConsentRefusedException("Dropbox answered an account id Koppel cannot use; start connecting to Dropbox again.");
        }

        await _tokens.SaveConsentAsync(_provider, consentId, new OAuthTokenAnswer(tokens.AccessToken, tokens.ExpiresIn, tokens.RefreshToken), cancellationToken);
        using var me = await api.CurrentAccountAsync(tokens.AccessToken, cancellationToken);
        var who = me.IsSuccessStatusCode ? me.Content?.Name?.DisplayName ?? me.Content?.Email : null;
        return new OAuthConsentResult(
            new Dictionary<string, string> { [DropboxSettings.ConsentIdKey] = consentId },
            $"Connected to Dropbox{(who is null ? string.Empty : " as " + who)}. Run the connection test to check where files go.");
    }

    /// <summary>Dropbox's refresh tokens do not expire from disuse (only when the user or the app revokes them): nothing to keep alive.</summary>
    public Task<ConsentUpkeep> KeepConsentAliveAsync(ConnectorSettings settings, TimeSpan idleFor, CancellationToken cancellationToken) =>
        Task.FromResult(ConsentUpkeep.NotNeeded);

    /// <summary>Only connections with the acknowledgement convention switched on are read back.</summary>
    public bool UsesAcknowledgements(ConnectorSettings settings)
    {
        try
        {
            return DropboxSettings.From(settings).Drive.Acknowledgements;
        }
        catch (ConnectorConfigurationException)
        {
            return false;
        }
    }

    public async Task<IReadOnlyList<Acknowledgement>> ReadAcknowledgementsAsync(ConnectorSettings settings, IReadOnlyList<string> deliveredReferences, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deliveredReferences);
        var parsed = DropboxSettings.From(settings);
        if (!parsed.Drive.Acknowledgements)
        {
            return [.. deliveredReferences.Select(r => new Acknowledgement(r, AcknowledgementStatus.NotUsed))];
        }

        var session = SessionFor(parsed);
        var found = new List<Acknowledgement>(deliveredReferences.Count);
        foreach (var reference in deliveredReferences)
        {
            var (processed, error) = DriveFiles.AcknowledgementPaths(reference);
            found.Add(await session.MetadataAsync(processed, cancellationToken) is { } p ? new Acknowledgement(reference, AcknowledgementStatus.Processed, p.PathDisplay ?? processed)
                : await session.MetadataAsync(error, cancellationToken) is { } e ? new Acknowledgement(reference, AcknowledgementStatus.Rejected, e.PathDisplay ?? error)
                : await session.MetadataAsync(reference, cancellationToken) is not null ? new Acknowledgement(reference, AcknowledgementStatus.Waiting, reference)
                : new Acknowledgement(reference, AcknowledgementStatus.Gone));
        }

        return found;
    }

    private DropboxSession SessionFor(DropboxSettings settings)
    {
        var consentId = settings.ConsentId ?? throw new OAuthConsentNeededException(_provider.NotConnectedMessage);
        var api = Api();
        var client = _httpClients.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(_options.ContentUrl.ToString().TrimEnd('/'));
        var content = RestService.For<IDropboxContent>(client, DropboxJson.RefitSettings);
        return new DropboxSession(
            api,
            content,
            ct => _tokens.AccessTokenAsync(_provider, consentId, (refreshToken, c) => RefreshAsync(api, refreshToken, c), ct),
            () => _tokens.Forget(_provider, consentId),
            settings.NamespaceId,
            _options);
    }

    private async Task<OAuthTokenAnswer> RefreshAsync(IDropboxApi api, string refreshToken, CancellationToken cancellationToken)
    {
        var form = await FormAsync(cancellationToken);
        form["grant_type"] = "refresh_token";
        form["refresh_token"] = refreshToken;
        using var response = await api.TokenAsync(form, cancellationToken);
        DropboxResponses.ThrowIfNoAnswer(response);
        if (response.IsSuccessStatusCode && response.Content is { AccessToken.Length: > 0 } tokens)
        {
            return new OAuthTokenAnswer(tokens.AccessToken, tokens.ExpiresIn, tokens.RefreshToken);
        }

        var said = DropboxResponses.Error(response);
        if (said.OAuthError == "invalid_grant")
        {
            throw new OAuthRefreshRefusedException(said.OAuthDescription is { } d ? $"invalid_grant: {d}" : "invalid_grant");
        }

        if (said.OAuthError is "invalid_client" or "unauthorized_client")
        {
            throw new ConnectorConfigurationException("Dropbox does not accept Koppel's Dropbox app (app key or secret): the operator must check Koppel:Providers:Dropbox.");
        }

        throw DropboxResponses.Failure(response, "renewal of the sign-in");
    }

    private IDropboxApi Api()
    {
        var client = _httpClients.CreateClient(HttpClientName);
        client.BaseAddress = new Uri(_options.BaseUrl.ToString().TrimEnd('/'));
        return RestService.For<IDropboxApi>(client, DropboxJson.RefitSettings);
    }

    private string AppKey() => _options.AppKey is { Length: > 0 } key ? key
        : throw new ConnectorConfigurationException("Koppel's Dropbox app is not set up: the operator must set Koppel:Providers:Dropbox:AppKey.");

    private Uri RedirectUri() => _options.RedirectUri
        ?? throw new ConnectorConfigurationException("Koppel's Dropbox app has no redirect URI: the operator must set Koppel:Providers:Dropbox:RedirectUri.");

    private async Task<Dictionary<string, string>> FormAsync(CancellationToken cancellationToken)
    {
        var secret = _options.AppSecret is { Length: > 0 } configured ? configured
            : await _secrets.GetAsync(_options.AppSecretName, cancellationToken)
            ?? throw new ConnectorConfigurationException($"Koppel's Dropbox app is not set up: the operator must put the app secret in the secret store as '{_options.AppSecretName}'.");
        return new Dictionary<string, string>(StringComparer.Ordinal) { ["client_id"] = AppKey(), ["client_secret"] = secret };
    }

    /// <summary>The failures the connector understands, as results; null lets anything else bubble up (the handler retries it).</summary>
    private static DeliveryResult? Understood(Exception e, CancellationToken cancellationToken) => e switch
    {
        DropboxFailure f => f.Result,
        OAuthConsentNeededException c => DeliveryResult.ConnectionBroken(c.Message, needsConsent: true),
        ConnectorConfigurationException c => DeliveryResult.Permanent(c.Message),
        TimeoutException => DeliveryResult.Transient("Another Koppel worker is renewing the Dropbox sign-in of this connection; Koppel tries again shortly.", TimeSpan.FromSeconds(30)),
        TimeoutRejectedException => DeliveryResult.Transient("Dropbox did not answer in time; Koppel tries again later."),
        HttpRequestException h => DeliveryResult.Transient($"Dropbox could not be reached: {h.Message}"),
        TaskCanceledException when !cancellationToken.IsCancellationRequested => DeliveryResult.Transient("Dropbox did not answer in time; Koppel tries again later."),
        _ => null,
    };
}
