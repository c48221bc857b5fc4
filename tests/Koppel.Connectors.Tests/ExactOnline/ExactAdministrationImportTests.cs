using System.Globalization;
using System.Net;
using System.Text.Json;
using Koppel.Api;
using Koppel.Connectors.ExactOnline;
using Koppel.Core;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Errors;
using Koppel.Core.Ports;
using Koppel.Core.Relations;
using Koppel.Core.Security;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Koppel.Connectors.Tests.ExactOnline;

/// <summary>
/// "Add from accounting software" for Exact Online: the divisions one Exact user reaches become dossiers whose
/// connections share that user's one consent by reference (Exact's refresh tokens rotate, so a copy per division would
/// die at the first refresh); the consent's tokens go with its last connection.
/// </summary>
public sealed class ExactAdministrationImportTests : IAsyncLifetime
{
    private const string DossierId = "0403170701";
    private const int Garage = 5001;
    private const int Florist = 5002;
    private const int Butcher = 5003;

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ExactHarness _exact = null!;
    private ServiceProvider _services = null!;
    private KoppelApi _api = null!;
    private Connection _source = null!;

    public async Task InitializeAsync()
    {
        _exact = await ExactHarness.StartAsync(_clock);
        var fake = _exact.Fake;
        fake.ConsentingUser = _exact.User;
        fake.DescribeDivision(ExactHarness.Division, "Demo Bakkerij BV", "BE0403170701", "0403170701");
        fake.DescribeDivision(Garage, "Garage Peeters BV", "BE0200065765", "0200.065.765", "boekhouding@garage-peeters.be");
        fake.DescribeDivision(Florist, "Bloemen Anja", "BE0417497106", null, "anja@bloemen.be");
        fake.DescribeDivision(Butcher, "Slagerij Noord", "BE 0876.543.270");
        fake.GrantDivisions(_exact.User, Garage, Florist, Butcher);
        fake.DivisionsPageSize = 2; // the list comes in pages: all of them are read

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
        await Get<DossierService>().CreateAsync(new DossierInput("Demo Bakkerij BV", DossierId, null, null, null), Caller.System, default);

        // The bookkeeper connects the demo dossier to Exact the way a user does: the consent round trip through the API.
        var created = Value<ConnectionResponse>(await _api.CreateConnectionAsync(
            DossierId,
            new ConnectionInput(ExactOnlineConnector.ProviderKey, "Exact", ["SalesInvoice", "BankStatement"], new Dictionary<string, string> { ["country"] = "be", ["division"] = "4711" }, null, true),
            Caller.ForAll("test"),
            default));
        var start = Value<ConsentStart>(await _api.StartConsentAsync(DossierId, created.Id, Caller.ForAll("test"), default));
        using (var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }))
        using (var response = await browser.GetAsync(start.AuthorizationUrl))
        {
            Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
            var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(response.Headers.Location!.Query);
            await _api.CompleteConsentAsync(new ConsentCallbackInput(query["code"].ToString(), query["state"].ToString()), Caller.ForAll("test"), default);
        }

        _source = (await Connections.GetAsync(DossierId, created.Id, default))!;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _exact.DisposeAsync();
    }

    private T Get<T>()
        where T : notnull => _services.GetRequiredService<T>();

    private IConnectionRepository Connections => _exact.Ports;

    private AdministrationImportService Import => Get<AdministrationImportService>();

    private static T Value<T>(IResult result) => (T)((IValueHttpResult)result).Value!;

    private static AdministrationChoice Choice(int division) => new(division.ToString(CultureInfo.InvariantCulture));

    /// <summary>The names of the consent secrets in the store (one per Exact user).</summary>
    private IReadOnlyList<string> ConsentSecrets => [.. _exact.Ports.Secrets.Keys.Where(k => k.StartsWith("oauth-exact-online-", StringComparison.Ordinal))];

    /// <summary>The connections the one consent counts as using it, as stored with its tokens.</summary>
    private IReadOnlyList<string> Holders
    {
        get
        {
            const string property = "Holders";
            return [.. JsonDocument.Parse(_exact.Ports.Secrets[Assert.Single(ConsentSecrets)]).RootElement.GetProperty(property).EnumerateArray().Select(h => h.GetString()!)];
        }
    }

    private async Task<IReadOnlyList<AdministrationImportResult>> ImportThreeAsync()
    {
        var results = await Import.ImportAsync(DossierId, _source.Id, [Choice(Garage), Choice(Florist), Choice(Butcher)], Caller.ForAll("firm"), default);
        Assert.All(results, r => Assert.Equal(AdministrationImportOutcome.Created, r.Outcome));
        return results;
    }

    private async Task<DeliveryResult> DeliverAsync(ExactOnlineConnector process, AdministrationImportResult imported)
    {
        var connection = (await Connections.GetAsync(imported.DossierId!, imported.ConnectionId!, default))!;
        var (settings, _) = await Get<ConnectionService>().LoadSettingsAsync(connection, default);
        return await process.DeliverAsync(ExactHarness.Context(ExactHarness.Pdf(DocumentKind.BankStatement), settings), default);
    }

    [Fact]
    public async Task The_list_shows_every_division_the_Exact_user_reaches_with_the_dossier_it_would_create_or_link()
    {
        var listed = await Import.ListAsync(DossierId, _source.Id, Caller.ForAll("firm"), default);

        Assert.Equal(["Demo Bakkerij BV", "Garage Peeters BV", "Bloemen Anja", "Slagerij Noord"], listed.Select(a => a.Name));
        Assert.Equal(("4711", "0403170701", DossierId, true), (listed[0].Id, listed[0].EnterpriseNumber, listed[0].ExistingDossierId, listed[0].AlreadyConnected));
        Assert.Equal(("0200065765", null, false), (listed[1].EnterpriseNumber, listed[1].ExistingDossierId, listed[1].AlreadyConnected));
        Assert.Equal("boekhouding@garage-peeters.be", listed[1].ContactEmail);
        Assert.Equal("0417497106", listed[2].EnterpriseNumber); // no CoC number in Exact: taken from the Belgian VAT number
        Assert.Equal("0876543270", listed[3].EnterpriseNumber);
    }

    [Fact]
    public async Task Importing_three_divisions_creates_three_dossiers_whose_connections_share_the_one_consent_of_the_Exact_user()
    {
        var results = await ImportThreeAsync();

        var garage = (await Get<IDossierRepository>().GetAsync("0200065765", default))!;
        Assert.Equal(("Garage Peeters BV", "boekhouding@garage-peeters.be"), (garage.Name, garage.ContactEmail));
        var consentOfSource = (await Get<ConnectionService>().LoadSettingsAsync(_source, default)).Settings.Get(ExactOnlineSettings.ConsentIdKey);
        foreach (var (result, division) in results.Zip([Garage, Florist, Butcher]))
        {
            var connection = (await Connections.GetAsync(result.DossierId!, result.ConnectionId!, default))!;
            Assert.Equal(division.ToString(CultureInfo.InvariantCulture), connection.Options["division"]);
            Assert.NotEqual(_source.SecretName, connection.SecretName);
            var settings = (await Get<ConnectionService>().LoadSettingsAsync(connection, default)).Settings;
            Assert.Equal(consentOfSource, settings.Get(ExactOnlineSettings.ConsentIdKey)); // a reference to the one consent, not a copy of its tokens
            var test = await Get<ConnectionService>().TestAsync(result.DossierId!, connection.Id, Caller.System, default);
            Assert.True(test.Success, test.Message);
        }

        Assert.Single(ConsentSecrets);
        Assert.Equal(4, Holders.Count); // the source and the three new connections
        Assert.Equal(1, _exact.Fake.CodeExchangeCount);

        // Their customers and suppliers are imported right after: a full relations sync per new connection.
        var syncs = ((InMemoryRelationSyncQueue)Get<IRelationSyncQueue>()).Jobs;
        Assert.Equal(results.Select(r => r.ConnectionId), syncs.Select(j => j.ConnectionId));
        Assert.All(syncs, j => Assert.True(j.Full));

        // Nothing the user sees carries a token.
        var again = Value<IReadOnlyList<AdministrationImportResult>>(await _api.ImportAdministrationsAsync(
            DossierId, _source.Id, new AdministrationImportRequest([Choice(Garage)]), Caller.ForAll("firm"), default));
        Assert.Equal(AdministrationImportOutcome.AlreadyConnected, Assert.Single(again).Outcome);
        var answer = JsonSerializer.Serialize(again);
        Assert.All(_exact.Fake.IssuedSecrets, secret => Assert.DoesNotContain(secret, answer, StringComparison.Ordinal));
        Assert.All(_exact.Fake.IssuedSecrets, secret => Assert.DoesNotContain(_exact.Logs.Lines, l => l.Contains(secret, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task After_the_sign_in_expired_a_delivery_on_each_imported_connection_renews_it_once_and_all_three_are_delivered()
    {
        var results = await ImportThreeAsync();
        _clock.Advance(TimeSpan.FromMinutes(11)); // every access token has expired
        _exact.Fake.RefreshDelay = TimeSpan.FromMilliseconds(300);
        var refreshesBefore = _exact.Fake.RefreshCount;

        // Three workers, one connection each, at the same time.
        var delivered = await Task.WhenAll(results.Select(r => DeliverAsync(_exact.NewProcess(), r)));

        Assert.All(delivered, d => Assert.Equal(DeliveryResultKind.Delivered, d.Kind));
        Assert.Equal(refreshesBefore + 1, _exact.Fake.RefreshCount);
        Assert.Equal(0, _exact.Fake.RefusedRefreshCount);
        var consent = Assert.Single(ConsentSecrets)["oauth-exact-online-".Length..];
        Assert.Equal(_exact.Fake.NewestRefreshToken(_exact.User), _exact.StoredTokens(consent).GetProperty("RefreshToken").GetString());
        Assert.Equal(4, Holders.Count); // the renewal kept the holders

        // And they keep working: the next delivery on each, in yet other workers, uses the renewed sign-in.
        var again = await Task.WhenAll(results.Select(r => DeliverAsync(_exact.NewProcess(), r)));
        Assert.All(again, d => Assert.Equal(DeliveryResultKind.Delivered, d.Kind));
        Assert.Equal(refreshesBefore + 1, _exact.Fake.RefreshCount);
        Assert.Equal(6, new[] { Garage, Florist, Butcher }.Sum(d => _exact.Fake.Rows(d, "mailbox/MailMessagesSent").Count));
    }

    [Fact]
    public async Task The_consent_stays_while_a_connection_uses_it_and_is_deleted_with_the_last_one()
    {
        var results = await ImportThreeAsync();

        await _api.DeleteConnectionAsync(results[0].DossierId!, results[0].ConnectionId!, Caller.ForAll("firm"), default);
        await Get<DossierService>().DeleteAsync(results[1].DossierId!, Caller.ForAll("firm"), default); // a dossier's deletion deletes its connections
        Assert.Single(ConsentSecrets);
        Assert.Equal(2, Holders.Count);

        await _api.DeleteConnectionAsync(DossierId, _source.Id, Caller.ForAll("firm"), default);
        Assert.Equal([ConsentHolders.Of((await Connections.GetAsync(results[2].DossierId!, results[2].ConnectionId!, default))!)], Holders);
        Assert.Equal(DeliveryResultKind.Delivered, (await DeliverAsync(_exact.NewProcess(), results[2])).Kind);

        await _api.DeleteConnectionAsync(results[2].DossierId!, results[2].ConnectionId!, Caller.ForAll("firm"), default);
        Assert.Empty(ConsentSecrets);
        Assert.DoesNotContain(_exact.Ports.Secrets.Keys, k => k.StartsWith("conn-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_division_whose_enterprise_number_matches_an_existing_dossier_is_linked_to_it()
    {
        await Get<DossierService>().CreateAsync(new DossierInput("Garage Peeters", "0200065765", null, null, null), Caller.System, default);

        var result = Assert.Single(await Import.ImportAsync(DossierId, _source.Id, [Choice(Garage)], Caller.ForAll("firm"), default));

        Assert.Equal((AdministrationImportOutcome.Linked, "0200065765"), (result.Outcome, result.DossierId));
        Assert.Equal("Garage Peeters", (await Get<IDossierRepository>().GetAsync("0200065765", default))!.Name); // linked, not renamed
        var connection = (await Connections.GetAsync("0200065765", result.ConnectionId!, default))!;
        Assert.Equal("5001", connection.Options["division"]);
    }

    [Fact]
    public async Task A_caller_scoped_to_one_dossier_cannot_import_divisions_into_other_dossiers()
    {
        await Get<DossierService>().CreateAsync(new DossierInput("Bloemen Anja", "0417497106", null, null, null), Caller.System, default);
        var bookkeeper = Caller.ForDossiers("bookkeeper", [DossierId]);

        var results = await Import.ImportAsync(DossierId, _source.Id, [Choice(Garage), Choice(Florist)], bookkeeper, default);

        Assert.All(results, r => Assert.Equal(AdministrationImportOutcome.Refused, r.Outcome));
        Assert.Null(await Get<IDossierRepository>().GetAsync("0200065765", default));
        await foreach (var connection in Connections.ListAsync("0417497106", default))
        {
            Assert.Fail($"A connection was added to a dossier the caller may not reach: {connection.Id}");
        }

        await Assert.ThrowsAsync<AccessDeniedException>(() => Import.ListAsync(DossierId, _source.Id, Caller.ForDossiers("other", ["0417497106"]), default));
    }

    [Fact]
    public async Task A_connection_not_yet_connected_to_Exact_cannot_list_divisions_and_says_to_connect_first()
    {
        var unconnected = await Get<ConnectionService>().CreateAsync(
            DossierId,
            new ConnectionInput(ExactOnlineConnector.ProviderKey, "Exact", ["BankStatement"], new Dictionary<string, string> { ["country"] = "be" }, null, true),
            Caller.System,
            default);

        var refused = await Assert.ThrowsAsync<RequestValidationException>(() => Import.ListAsync(DossierId, unconnected.Id, Caller.System, default));

        Assert.Contains("connect to Exact", string.Join(" ", refused.Errors["connectionId"]), StringComparison.Ordinal);
    }
}
