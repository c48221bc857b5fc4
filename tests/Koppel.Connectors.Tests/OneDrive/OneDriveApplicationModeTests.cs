using Koppel.Connectors.OneDrive;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.ProviderFakes.OneDrive;
using Microsoft.Extensions.Time.Testing;

namespace Koppel.Connectors.Tests.OneDrive;

/// <summary>OneDrive with the tenant's own app registration (client credentials, no user), against the Graph fake.</summary>
public sealed class OneDriveApplicationModeTests : IAsyncLifetime
{
    private const string Tenant = "bakkerij.onmicrosoft.com";
    private const string AppId = "0c1e2f3a-4b5c-6d7e-8f90-a1b2c3d4e5f6";
    private const string AppSecret = "app-secret-Q~9xY.7zz";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero));
    private DriveHarness<OneDriveFake> _harness = null!;
    private string _user = null!;
    private string _drive = null!;

    private OneDriveFake Fake => _harness.Fake;

    public async Task InitializeAsync()
    {
        _harness = await DriveHarness.StartAsync(new OneDriveFake(_clock), _clock);
        _user = Fake.AddUser("Boekhouding Bakkerij");
        _drive = Fake.OwnDriveOf(_user);
        Fake.AddAppRegistration(Tenant, AppId, AppSecret);
        var url = _harness.BaseUrl.ToString();
        _harness.Configuration[$"{OneDriveOptions.SectionName}:BaseUrl"] = url + "v1.0/";
        _harness.Configuration[$"{OneDriveOptions.SectionName}:LoginUrl"] = url + "login/";

        // Koppel's own (delegated) app is not set up at all: application mode needs none of it.
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    private static ConnectorSettings Settings(string secret = AppSecret, string tenant = Tenant, params (string Key, string Value)[] more)
    {
        var options = new Dictionary<string, string>
        {
            [OneDriveSettings.AuthKey] = "application",
            [OneDriveSettings.TenantKey] = tenant,
            [OneDriveSettings.ClientIdKey] = AppId,
        };
        foreach (var (key, value) in more)
        {
            options[key] = value;
        }

        return TestDeliveries.Settings(options, new Dictionary<string, string> { [OneDriveSettings.ClientSecretKey] = secret });
    }

    private static DeliveryContext Context(TestDocument document, ConnectorSettings settings) => DriveDocuments.Context(document, settings, OneDriveConnector.ProviderKey);

    [Fact]
    public async Task The_connection_test_signs_in_as_the_app_and_offers_the_drives_of_the_user_named()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();

        var test = await connector.TestConnectionAsync(Settings(more: (OneDriveSettings.DriveUserKey, Fake.UpnOf(_user))), default);

        Assert.True(test.Success, test.Message);
        Assert.Contains($"app registration {AppId} of tenant {Tenant}", test.Message, StringComparison.Ordinal);
        var choice = Assert.Single(test.Choices);
        Assert.Equal((OneDriveSettings.DriveIdKey, _drive), (choice.Setting, choice.Value));
        Assert.Equal(1, Fake.AppTokenCount);
        Assert.DoesNotContain(Fake.Events, e => e.EndsWith("/v1.0/me", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_sharepoint_site_is_chosen_by_its_id_and_its_library_is_offered()
    {
        var site = Fake.AddSite("bakkerij.sharepoint.com", "Boekhouding", out var library);
        var connector = _harness.NewProcess<OneDriveConnector>();

        var test = await connector.TestConnectionAsync(Settings(more: (OneDriveSettings.DriveSiteKey, site)), default);

        Assert.True(test.Success, test.Message);
        Assert.Equal(library, Assert.Single(test.Choices).Value);
    }

    [Fact]
    public async Task Documents_are_delivered_with_one_app_token_reused_until_near_its_expiry_and_no_consent()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var settings = Settings(more: (OneDriveSettings.DriveIdKey, _drive));

        var first = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), settings), default);
        var second = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-2"), settings), default);
        var tokensBefore = Fake.AppTokenCount;
        _clock.Advance(TimeSpan.FromMinutes(56)); // inside the 5-minute margin before the hour is up
        var third = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-3"), settings), default);

        Assert.All([first, second, third], r => Assert.Equal(DeliveryResultKind.Delivered, r.Kind));
        Assert.Equal(3, Fake.Files(_drive).Keys.Count(k => k.EndsWith(".xml", StringComparison.Ordinal)));
        Assert.Equal(1, tokensBefore);
        Assert.Equal(2, Fake.AppTokenCount);
        Assert.Equal(0, Fake.RefreshCount);
        Assert.DoesNotContain(_harness.Ports.Secrets.Keys, k => k.StartsWith("oauth-onedrive-", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_wrong_client_secret_breaks_the_connection_in_words_a_bookkeeper_can_act_on_without_showing_it()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        const string wrong = "not-the-secret-4711";

        var result = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(wrong, more: (OneDriveSettings.DriveIdKey, _drive))), default);
        var test = await connector.TestConnectionAsync(Settings(wrong, more: (OneDriveSettings.DriveIdKey, _drive)), default);

        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains("client secret is wrong or has expired", result.Reason, StringComparison.Ordinal);
        Assert.False(test.Success);
        Assert.True(test.CredentialsRejected);
        Assert.All(new[] { result.Reason, test.Message }.Concat(_harness.Logs.Lines), t => Assert.DoesNotContain(wrong, t ?? string.Empty, StringComparison.Ordinal));
        Assert.Empty(Fake.Files(_drive));
    }

    [Fact]
    public async Task An_app_registration_unknown_in_the_tenant_is_named_and_the_tenant_must_be_a_real_one()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();

        var result = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(tenant: "andere.onmicrosoft.com", more: (OneDriveSettings.DriveIdKey, _drive))), default);
        var e = Assert.Throws<ConnectorConfigurationException>(() => connector.ValidateSettings(Settings(tenant: "organizations")));

        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains($"no app registration {AppId} in tenant andere.onmicrosoft.com", result.Reason, StringComparison.Ordinal);
        Assert.Contains($"'{OneDriveSettings.TenantKey}' must name the tenant", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_application_connection_needs_no_consent_round_trip_and_its_acknowledgements_are_read_with_the_app_token()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var settings = Settings(more: [(OneDriveSettings.DriveIdKey, _drive), ("acknowledgements", "on")]);
        var delivered = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), settings), default);
        var (processed, _) = Koppel.Connectors.Common.DriveFiles.AcknowledgementPaths(delivered.Reference!);
        Fake.MoveFile(_drive, delivered.Reference!, processed);

        var acknowledgements = await connector.ReadAcknowledgementsAsync(settings, [delivered.Reference!], default);
        var consent = await Assert.ThrowsAsync<ConnectorConfigurationException>(() => connector.AuthorizationUrlAsync(settings, "state", default));

        Assert.Equal(AcknowledgementStatus.Processed, Assert.Single(acknowledgements).Status);
        Assert.Contains("needs no sign-in", consent.Message, StringComparison.Ordinal);
        Assert.Equal(1, Fake.AppTokenCount);
    }

    [Fact]
    public async Task Reading_back_costs_one_graph_read_for_a_processed_file_and_three_for_one_still_waiting()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var settings = Settings(more: [(OneDriveSettings.DriveIdKey, _drive), ("acknowledgements", "on"), ("format", "ubl")]);
        var handled = (await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), settings), default)).Reference!;
        var waiting = (await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-2"), settings), default)).Reference!;
        Fake.MoveFile(_drive, handled, Koppel.Connectors.Common.DriveFiles.AcknowledgementPaths(handled).Processed);
        var before = Fake.Events.Count(e => e.StartsWith("call GET", StringComparison.Ordinal));

        var read = await connector.ReadAcknowledgementsAsync(settings, [handled, waiting], default);

        Assert.Equal([AcknowledgementStatus.Processed, AcknowledgementStatus.Waiting], read.Select(a => a.Status));
        Assert.Equal(4, Fake.Events.Count(e => e.StartsWith("call GET", StringComparison.Ordinal)) - before);
    }
}
