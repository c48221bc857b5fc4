using System.Net;
using System.Text.Json;
using Koppel.Api;
using Koppel.Connectors.ExactOnline;
using Koppel.Core;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;

namespace Koppel.Connectors.Tests.ExactOnline;

/// <summary>The OAuth consent through Koppel's API, as both hosts serve it: start, Exact's redirect, callback.</summary>
public sealed class ExactOnlineConsentApiTests : IAsyncLifetime
{
    private const string DossierId = "0403170701";
    private const string OtherDossierId = "0123456749";

    private ExactHarness _exact = null!;
    private ServiceProvider _services = null!;
    private KoppelApi _api = null!;
    private string _connectionId = null!;

    public async Task InitializeAsync()
    {
        _exact = await ExactHarness.StartAsync();
        _exact.Fake.ConsentingUser = _exact.User;
        var services = new ServiceCollection();
        _exact.AddServices(services);
        foreach (var port in new[] { typeof(IInbox), typeof(IDocumentArchive), typeof(IQuarantine), typeof(IDossierRepository), typeof(IConnectionRepository), typeof(IDocumentRepository), typeof(IDeliveryLedger), typeof(IRunLog), typeof(IDocumentHistory), typeof(IWorkQueue), typeof(Koppel.Core.Export.IExportJobQueue) })
        {
            services.AddSingleton(port, _exact.Ports);
        }

        services.AddSingleton<IDataProtectionProvider>(new EphemeralDataProtectionProvider());
        services.AddKoppelCore();
        services.AddKoppelApi();
        _services = services.BuildServiceProvider();
        _api = _services.GetRequiredService<KoppelApi>();

        foreach (var id in new[] { DossierId, OtherDossierId })
        {
            await ((IDossierRepository)_exact.Ports).UpsertAsync(new Dossier { Id = id, Name = "Dossier " + id, EnterpriseNumber = id }, default);
        }

        var created = await _api.CreateConnectionAsync(
            DossierId,
            new ConnectionInput(ExactOnlineConnector.ProviderKey, "Exact", ["SalesInvoice", "BankStatement"], new Dictionary<string, string> { ["country"] = "be" }, null, true),
            Caller.ForAll("test"),
            default);
        _connectionId = ((ConnectionResponse)((IValueHttpResult)created).Value!).Id;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _exact.DisposeAsync();
    }

    private static T Value<T>(IResult result) => (T)((IValueHttpResult)result).Value!;

    /// <summary>What the user's browser does: open Exact's URL, sign in, and come back to the redirect URI with code and state.</summary>
    private async Task<(string Code, string State)> SignInAtExactAsync(Uri authorizationUrl)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(authorizationUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var back = response.Headers.Location!;
        Assert.StartsWith(_exact.Fake.RedirectUri, back.ToString(), StringComparison.Ordinal);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(back.Query);
        return (query["code"].ToString(), query["state"].ToString());
    }

    [Fact]
    public async Task Consent_through_the_API_stores_the_tokens_in_the_secret_store_and_never_returns_them()
    {
        var start = Value<ConsentStart>(await _api.StartConsentAsync(DossierId, _connectionId, Caller.ForDossiers("bookkeeper", [DossierId]), default));
        Assert.StartsWith(_exact.Host.BaseUrlOf(_exact.Fake) + "api/oauth2/auth?client_id=", start.AuthorizationUrl.ToString(), StringComparison.Ordinal);
        var (code, state) = await SignInAtExactAsync(start.AuthorizationUrl);

        var completed = await _api.CompleteConsentAsync(new ConsentCallbackInput(code, state), Caller.ForDossiers("bookkeeper", [DossierId]), default);

        var answer = JsonSerializer.Serialize(((IValueHttpResult)completed).Value);
        var consentKey = Assert.Single(_exact.Ports.Secrets.Keys, k => k.StartsWith("oauth-exact-online-", StringComparison.Ordinal));
        var tokens = JsonDocument.Parse(_exact.Ports.Secrets[consentKey]).RootElement;
        Assert.Equal(_exact.Fake.NewestRefreshToken(_exact.User), tokens.GetProperty("RefreshToken").GetString());
        Assert.DoesNotContain(tokens.GetProperty("RefreshToken").GetString()!, answer, StringComparison.Ordinal);
        Assert.DoesNotContain(tokens.GetProperty("AccessToken").GetString()!, answer, StringComparison.Ordinal);
        Assert.Contains("An Peeters", answer, StringComparison.Ordinal);

        var connection = Value<ConnectionResponse>(await _api.GetConnectionAsync(DossierId, _connectionId, Caller.ForAll("test"), default));
        var shown = JsonSerializer.Serialize(connection);
        Assert.True(connection.HasCredentials);
        Assert.DoesNotContain(tokens.GetProperty("RefreshToken").GetString()!, shown, StringComparison.Ordinal);

        var test = await _services.GetRequiredService<ConnectionService>().TestAsync(DossierId, _connectionId, Caller.ForAll("test"), default);
        Assert.True(test.Success, test.Message);
        Assert.Contains(test.Choices, c => c.Value == "4711");
    }

    [Fact]
    public async Task A_caller_of_another_dossier_cannot_complete_the_consent()
    {
        var start = Value<ConsentStart>(await _api.StartConsentAsync(DossierId, _connectionId, Caller.ForAll("platform"), default));
        var (code, state) = await SignInAtExactAsync(start.AuthorizationUrl);

        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            _api.CompleteConsentAsync(new ConsentCallbackInput(code, state), Caller.ForDossiers("other", [OtherDossierId]), default));
        await Assert.ThrowsAsync<AccessDeniedException>(() =>
            _api.StartConsentAsync(DossierId, _connectionId, Caller.ForDossiers("other", [OtherDossierId]), default));
        Assert.Equal(0, _exact.Fake.CodeExchangeCount);
    }

    [Fact]
    public async Task A_forged_or_altered_state_is_refused_without_asking_Exact()
    {
        var start = Value<ConsentStart>(await _api.StartConsentAsync(DossierId, _connectionId, Caller.ForAll("platform"), default));
        var (code, state) = await SignInAtExactAsync(start.AuthorizationUrl);
        var forged = Convert.ToBase64String(JsonSerializer.SerializeToUtf8Bytes(new ConsentState(OtherDossierId, _connectionId, "exact-online", "x")));
        var altered = state[..^4] + (state[^4] == 'A' ? "B" : "A") + state[^3..];

        foreach (var bad in new[] { forged, altered, string.Empty })
        {
            var error = await Assert.ThrowsAsync<RequestValidationException>(() =>
                _api.CompleteConsentAsync(new ConsentCallbackInput(code, bad), Caller.ForAll("platform"), default));
            Assert.Contains("state", error.Errors.Keys);
        }

        Assert.Equal(0, _exact.Fake.CodeExchangeCount);
        Assert.DoesNotContain(_exact.Ports.Secrets.Keys, k => k.StartsWith("oauth-exact-online-", StringComparison.Ordinal));
    }
}
