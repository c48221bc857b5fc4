using System.Text.Json;
using Koppel.Connectors.ExactOnline;
using Koppel.Core;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Core.Dossiers;
using Koppel.Core.Ports;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Koppel.Connectors.Tests.ExactOnline;

/// <summary>
/// The daily consent upkeep: an Exact consent unused for a week is renewed before its refresh token dies of disuse
/// (~30 days), through the same single-flight lease as a delivery; a refused renewal marks the connection as needing a
/// new consent and is not asked again.
/// </summary>
public sealed class ExactConsentUpkeepTests : IAsyncLifetime
{
    private const string DossierId = "0403170701";
    private const string OtherDossierId = "0123456749";

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.UtcNow);
    private ExactHarness _exact = null!;
    private ServiceProvider _services = null!;
    private ConsentUpkeepJob _upkeep = null!;
    private string _consent = null!;

    public async Task InitializeAsync()
    {
        _exact = await ExactHarness.StartAsync(_clock);
        var services = new ServiceCollection();
        _exact.AddServices(services);
        foreach (var port in new[] { typeof(IInbox), typeof(IDocumentArchive), typeof(IQuarantine), typeof(IDossierRepository), typeof(IConnectionRepository), typeof(IDocumentRepository), typeof(IDeliveryLedger), typeof(IRunLog), typeof(IDocumentHistory), typeof(IWorkQueue) })
        {
            services.AddSingleton(port, _exact.Ports);
        }

        services.AddKoppelCore();
        _services = services.BuildServiceProvider();
        _upkeep = _services.GetRequiredService<ConsentUpkeepJob>();
        _consent = await _exact.ConsentAsync(_services.GetRequiredService<ExactOnlineConnector>());

        // One Exact user connected two dossiers: both connections share the one consent.
        foreach (var dossier in new[] { DossierId, OtherDossierId })
        {
            await Repositories.Dossiers.UpsertAsync(new Dossier { Id = dossier, Name = "Dossier " + dossier, EnterpriseNumber = dossier }, default);
            await ConnectAsync(dossier, "c-exact-" + dossier);
        }
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _exact.DisposeAsync();
    }

    private (IDossierRepository Dossiers, IConnectionRepository Connections) Repositories => (_exact.Ports, _exact.Ports);

    private async Task ConnectAsync(string dossier, string connectionId)
    {
        var secretName = $"connection-{dossier}-{connectionId}";
        await ((ISecretStore)_exact.Ports).SetAsync(secretName, JsonSerializer.Serialize(new Dictionary<string, string> { [ExactOnlineSettings.ConsentIdKey] = _consent }), default);
        await Repositories.Connections.UpsertAsync(
            new Connection
            {
                Id = connectionId,
                DossierId = dossier,
                Provider = ExactOnlineConnector.ProviderKey,
                DocumentKinds = new HashSet<DocumentKind> { DocumentKind.BankStatement },
                Options = new Dictionary<string, string> { ["country"] = "be", ["division"] = ExactHarness.Division.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                SecretName = secretName,
                Health = new ConnectionHealth(ConnectionHealthStatus.Healthy, null, _clock.GetUtcNow()),
            },
            default);
    }

    private async Task<ConnectionHealth> HealthOf(string dossier) => (await Repositories.Connections.GetAsync(dossier, "c-exact-" + dossier, default))!.Health;

    [Fact]
    public async Task A_consent_unused_for_a_week_is_renewed_once_for_all_its_connections_and_a_fresher_one_is_left_alone()
    {
        _clock.Advance(TimeSpan.FromDays(6));
        var early = await _upkeep.RunAsync(default);

        Assert.Equal(new ConsentUpkeepSummary(Checked: 2, Renewed: 0, Refused: 0, TryLater: 0), early);
        Assert.Equal(0, _exact.Fake.RefreshCount);

        _clock.Advance(TimeSpan.FromDays(2));
        var due = await _upkeep.RunAsync(default);

        Assert.Equal(new ConsentUpkeepSummary(Checked: 2, Renewed: 1, Refused: 0, TryLater: 0), due);
        Assert.Equal(1, _exact.Fake.RefreshCount);
        Assert.Equal(_exact.Fake.NewestRefreshToken(_exact.User), _exact.StoredTokens(_consent).GetProperty("RefreshToken").GetString());

        // The renewed tokens serve the next delivery without another renewal.
        var delivered = await _exact.NewProcess().DeliverAsync(ExactHarness.Context(ExactHarness.Coda(), ExactHarness.Settings(_consent)), default);
        Assert.Equal(DeliveryResultKind.Delivered, delivered.Kind);
        Assert.Equal(1, _exact.Fake.RefreshCount);
    }

    [Fact]
    public async Task A_refused_renewal_marks_every_connection_of_the_consent_as_needing_consent_and_exact_is_not_asked_again()
    {
        _exact.Fake.ExpireRefreshTokens(_exact.User);
        _clock.Advance(TimeSpan.FromDays(8));

        var summary = await _upkeep.RunAsync(default);

        Assert.Equal(2, summary.Refused);
        Assert.Equal(1, _exact.Fake.RefusedRefreshCount);
        foreach (var dossier in new[] { DossierId, OtherDossierId })
        {
            var health = await HealthOf(dossier);
            Assert.Equal(ConnectionHealthStatus.NeedsConsent, health.Status);
            Assert.Contains("connect to Exact again", health.Reason, StringComparison.Ordinal);
        }

        var again = await _upkeep.RunAsync(default);

        Assert.Equal(new ConsentUpkeepSummary(Checked: 0, Renewed: 0, Refused: 0, TryLater: 0), again);
        Assert.Equal(1, _exact.Fake.RefusedRefreshCount);
        Assert.DoesNotContain(_exact.Logs.Lines, line => line.Contains(_exact.Fake.ClientSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_upkeep_and_a_delivery_of_another_worker_renewing_at_once_renew_once_and_both_succeed()
    {
        _clock.Advance(TimeSpan.FromDays(8));
        _exact.Fake.RefreshDelay = TimeSpan.FromMilliseconds(400);
        var worker = _exact.NewProcess();

        var upkeep = _upkeep.RunAsync(default);
        var delivery = worker.DeliverAsync(ExactHarness.Context(ExactHarness.Coda(), ExactHarness.Settings(_consent)), default);
        await Task.WhenAll(upkeep, delivery);

        Assert.Equal(DeliveryResultKind.Delivered, (await delivery).Kind);
        Assert.Equal(0, (await upkeep).Refused);
        Assert.Equal(0, (await upkeep).TryLater);
        Assert.Equal(1, _exact.Fake.RefreshCount);
        Assert.Equal(0, _exact.Fake.RefusedRefreshCount);
        Assert.Equal(_exact.Fake.NewestRefreshToken(_exact.User), _exact.StoredTokens(_consent).GetProperty("RefreshToken").GetString());
        Assert.Equal(ConnectionHealthStatus.Healthy, (await HealthOf(DossierId)).Status);
    }

    [Fact]
    public async Task A_connection_never_consented_is_not_a_reason_to_call_exact()
    {
        await Repositories.Connections.UpsertAsync(
            new Connection { Id = "c-new", DossierId = DossierId, Provider = ExactOnlineConnector.ProviderKey, DocumentKinds = new HashSet<DocumentKind> { DocumentKind.BankStatement } },
            default);
        _clock.Advance(TimeSpan.FromDays(3));
        var requestsBefore = _exact.Fake.Requests.Count;

        var summary = await _upkeep.RunAsync(default);

        Assert.Equal(0, summary.Renewed + summary.Refused + summary.TryLater);
        Assert.Equal(requestsBefore, _exact.Fake.Requests.Count);
    }

    [Fact]
    public async Task Connections_made_before_consents_counted_their_holders_keep_their_consent_and_the_upkeep_counts_them()
    {
        var connections = _services.GetRequiredService<ConnectionService>();
        Assert.False(_exact.StoredTokens(_consent).TryGetProperty("Holders", out var none) && none.ValueKind == JsonValueKind.Array);

        // Deleting one of two connections of a consent that never counted its holders leaves the tokens alone.
        await ConnectAsync(DossierId, "c-exact-second");
        await connections.DeleteAsync(DossierId, "c-exact-second", Koppel.Core.Security.Caller.System, default);
        Assert.True(_exact.Ports.Secrets.ContainsKey($"oauth-exact-online-{_consent}"));
        var delivered = await _exact.NewProcess().DeliverAsync(ExactHarness.Context(ExactHarness.Coda(), ExactHarness.Settings(_consent)), default);
        Assert.Equal(DeliveryResultKind.Delivered, delivered.Kind);

        // The daily upkeep counts the connections it meets; from then on the tokens go with the last of them.
        await _upkeep.RunAsync(default);
        Assert.Equal(2, _exact.StoredTokens(_consent).GetProperty("Holders").GetArrayLength());
        await connections.DeleteAsync(DossierId, "c-exact-" + DossierId, Koppel.Core.Security.Caller.System, default);
        Assert.True(_exact.Ports.Secrets.ContainsKey($"oauth-exact-online-{_consent}"));
        await connections.DeleteAsync(OtherDossierId, "c-exact-" + OtherDossierId, Koppel.Core.Security.Caller.System, default);
        Assert.False(_exact.Ports.Secrets.ContainsKey($"oauth-exact-online-{_consent}"));
    }
}
