using System.Text.Json;
using Koppel.Connectors.OneDrive;
using Koppel.Connectors.Tests.ExactOnline;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Koppel.ProviderFakes.OneDrive;
using Microsoft.Extensions.Time.Testing;

namespace Koppel.Connectors.Tests.OneDrive;

public sealed class OneDriveConnectorTests : IAsyncLifetime
{
    private const string Tenant = "bakkerij.onmicrosoft.com";

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero));
    private DriveHarness<OneDriveFake> _harness = null!;
    private string _user = null!;
    private string _drive = null!;

    private OneDriveFake Fake => _harness.Fake;

    public async Task InitializeAsync()
    {
        _harness = await DriveHarness.StartAsync(new OneDriveFake(_clock), _clock);
        _user = Fake.AddUser("An Peeters");
        _drive = Fake.OwnDriveOf(_user);
        Fake.ConsentingUser = _user;
        var url = _harness.BaseUrl.ToString();
        _harness.Configuration[$"{OneDriveOptions.SectionName}:BaseUrl"] = url + "v1.0/";
        _harness.Configuration[$"{OneDriveOptions.SectionName}:LoginUrl"] = url + "login/";
        _harness.Configuration[$"{OneDriveOptions.SectionName}:ClientId"] = Fake.ClientId;
        _harness.Configuration[$"{OneDriveOptions.SectionName}:RedirectUri"] = Fake.RedirectUri;
        _harness.Configuration[$"{OneDriveOptions.SectionName}:SingleUploadLimitBytes"] = "100000";
        _harness.Configuration[$"{OneDriveOptions.SectionName}:ChunkBytes"] = "400000"; // rounded down to one 320 KiB unit
        await ((Koppel.Core.Ports.ISecretStore)_harness.Ports).SetAsync("onedrive-client-secret", Fake.ClientSecret, default);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task A_work_account_consents_with_offline_access_for_its_tenant_and_only_the_secret_store_keeps_the_refresh_token()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();

        var url = await connector.AuthorizationUrlAsync(Settings(), "state-9", default);
        var code = await DriveHarness.SignInAsync(url, "state-9");
        var consent = await connector.CompleteConsentAsync(Settings(), code, default);

        Assert.Contains($"/{Tenant}/oauth2/v2.0/authorize", url.AbsolutePath, StringComparison.Ordinal);
        Assert.Contains("offline_access", Uri.UnescapeDataString(url.Query), StringComparison.Ordinal);
        Assert.Equal([OneDriveSettings.ConsentIdKey], consent.ConnectionCredentials.Keys);
        Assert.Contains("An Peeters", consent.Message, StringComparison.Ordinal);
        var stored = Assert.Single(_harness.Ports.Secrets, s => s.Key.StartsWith("oauth-onedrive-", StringComparison.Ordinal));
        Assert.StartsWith("0.ARoA", JsonDocument.Parse(stored.Value).RootElement.GetProperty("RefreshToken").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(consent.ConnectionCredentials.Values, v => Fake.IssuedSecrets.Contains(v));
    }

    [Fact]
    public async Task A_rotated_refresh_token_is_in_the_secret_store_before_the_access_token_that_came_with_it_is_used()
    {
        var events = new List<string>();
        _harness.Secrets = new WatchedSecretStore(_harness.Ports, (name, value) =>
        {
            if (name.StartsWith("oauth-onedrive-", StringComparison.Ordinal))
            {
                events.Add($"stored {JsonDocument.Parse(value).RootElement.GetProperty("RefreshToken").GetString()} after {Fake.Events.Count} fake events");
            }
        });
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        _clock.Advance(TimeSpan.FromMinutes(58)); // inside the 5-minute margin before the hour is up

        var result = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId, ("driveId", _drive))), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(1, Fake.RefreshCount);
        var fakeEvents = Fake.Events;
        var issued = fakeEvents.Select((e, i) => (e, i)).Single(x => x.e.StartsWith("token refresh_token", StringComparison.Ordinal));
        var parts = issued.e.Split(' ');
        var (access, refresh) = (parts[4], parts[6]);
        var firstUse = fakeEvents.ToList().IndexOf("use " + access);
        var stored = events.Single(e => e.StartsWith($"stored {refresh} ", StringComparison.Ordinal));
        var fakeEventsWhenStored = int.Parse(stored.Split(' ')[3], System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(firstUse > issued.i);
        Assert.True(fakeEventsWhenStored <= firstUse, $"stored after {fakeEventsWhenStored} events, first use at {firstUse}");
        Assert.Equal(refresh, StoredRefreshToken());
    }

    [Fact]
    public async Task A_revoked_refresh_token_breaks_the_connection_and_asks_for_a_new_consent()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        Fake.RevokeRefreshTokens(_user);
        _clock.Advance(TimeSpan.FromHours(2));

        var result = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId, ("driveId", _drive))), default);
        var test = await connector.TestConnectionAsync(Settings(consentId, ("driveId", _drive)), default);

        Assert.Equal(ConnectionHealthStatus.NeedsConsent, result.ConnectionProblem);
        Assert.Contains("connect to OneDrive again", result.Reason, StringComparison.Ordinal);
        Assert.True(test.NeedsConsent);
        Assert.Empty(Fake.Files(_drive));
    }

    [Fact]
    public async Task A_consent_left_unused_is_renewed_by_the_upkeep_and_a_dead_one_is_reported_refused()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);

        var fresh = await connector.KeepConsentAliveAsync(Settings(consentId), TimeSpan.FromDays(7), default);
        _clock.Advance(TimeSpan.FromDays(8));
        var idle = await connector.KeepConsentAliveAsync(Settings(consentId), TimeSpan.FromDays(7), default);
        Fake.RevokeRefreshTokens(_user);
        _clock.Advance(TimeSpan.FromDays(8));
        var dead = await connector.KeepConsentAliveAsync(Settings(consentId), TimeSpan.FromDays(7), default);

        Assert.Equal(ConsentUpkeepOutcome.NotNeeded, fresh.Outcome);
        Assert.Equal(ConsentUpkeepOutcome.Renewed, idle.Outcome);
        Assert.Equal(ConsentUpkeepOutcome.Refused, dead.Outcome);
        Assert.Contains("connect to OneDrive again", dead.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_connection_test_lists_the_drives_and_the_top_folders_to_choose_from()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        var library = Fake.AddLibrary(_user, "Boekhouding");
        Fake.AddFolder(_drive, "Facturen");

        var first = await connector.TestConnectionAsync(Settings(consentId), default);
        var second = await connector.TestConnectionAsync(Settings(consentId, ("driveId", _drive)), default);
        var delivery = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId)), default);

        Assert.True(first.Success);
        Assert.Equal([(OneDriveSettings.DriveIdKey, _drive), (OneDriveSettings.DriveIdKey, library)], first.Choices.Select(c => (c.Setting, c.Value)));
        Assert.Contains(second.Choices, c => c.Setting == OneDriveSettings.FolderKey && c.Value == "/Facturen");
        Assert.Equal(DeliveryResultKind.Permanent, delivery.Kind);
        Assert.Contains("'driveId'", delivery.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invoice_lands_in_the_chosen_drive_and_folder_as_UBL_with_its_PDF()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        var invoice = DriveDocuments.Invoice("KOP-2026-0042");

        var result = await connector.DeliverAsync(Context(invoice, Settings(consentId, ("driveId", _drive), ("folder", "/Boekhouding/Koppel"))), default);

        var stem = $"Boekhouding/Koppel/{TestDeliveries.DossierId}/SalesInvoice/2026/KOP-2026-0042_{invoice.Record.Id[..12]}";
        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal("/" + stem + ".xml", result.Reference);
        Assert.Equal(invoice.Content, Fake.Files(_drive)[stem + ".xml"]);
        Assert.Equal(ExactHarness.PdfBytes, Fake.Files(_drive)[stem + ".pdf"]);
        Assert.Equal(2, Fake.SimpleUploadCount);
    }

    [Fact]
    public async Task A_file_above_the_threshold_goes_through_an_upload_session_in_fragments_of_320_KiB()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        var big = DriveDocuments.Scan(800_000);

        var result = await connector.DeliverAsync(Context(big, Settings(consentId, ("driveId", _drive))), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(big.Content, Fake.Files(_drive)[result.Reference!.TrimStart('/')]);
        Assert.Equal(0, Fake.SimpleUploadCount);
        Assert.Equal([327_680, 327_680, 144_640], Fake.FragmentSizes);
    }

    [Theory]
    [InlineData(429, "slow down")]
    [InlineData(503, "unavailable")]
    public async Task Throttling_is_a_transient_failure_that_waits_as_long_as_Graph_asks(int status, string said)
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        Fake.Throttle(1, status, retryAfterSeconds: 42);

        var result = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId, ("driveId", _drive), ("format", "ubl"))), default);

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.Equal(TimeSpan.FromSeconds(42), result.RetryAfter);
        Assert.Contains(said, result.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.Files(_drive));
    }

    [Fact]
    public async Task Someone_elses_file_under_the_same_name_is_never_replaced_and_the_user_is_told_what_to_do()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        var invoice = DriveDocuments.Invoice("KOP-1");
        var path = $"{TestDeliveries.DossierId}/SalesInvoice/2026/KOP-1_{invoice.Record.Id[..12]}.xml";
        var theirs = "<theirs/>"u8.ToArray();
        Fake.PutFile(_drive, path, theirs);

        var result = await connector.DeliverAsync(Context(invoice, Settings(consentId, ("driveId", _drive), ("format", "ubl"))), default);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("never replaces", result.Reason, StringComparison.Ordinal);
        Assert.Equal(theirs, Fake.Files(_drive)[path]);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(800_000)]
    public async Task A_retry_after_a_lost_response_finds_its_own_file_and_makes_no_second_one(int size)
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        var scan = DriveDocuments.Scan(size);
        Fake.DropResponseAfterUpload = true;

        var lost = await connector.DeliverAsync(Context(scan, Settings(consentId, ("driveId", _drive))), default);
        var retry = await connector.DeliverAsync(Context(scan, Settings(consentId, ("driveId", _drive))), default);

        Assert.Equal(DeliveryResultKind.Transient, lost.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, retry.Kind);
        var file = Assert.Single(Fake.Files(_drive));
        Assert.Equal(retry.Reference, "/" + file.Key);
        Assert.Equal(scan.Content, file.Value);
        Assert.True(Fake.SessionCount <= 1);
    }

    [Fact]
    public void Settings_with_an_unknown_placeholder_or_a_climbing_folder_are_refused_naming_the_setting()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();

        var error = Assert.Throws<ConnectorConfigurationException>(() => connector.ValidateSettings(Settings(null, ("path.SalesInvoice", "/{klant}/{documentId}"), ("folder", "/Boekhouding/../Privé"), ("format", "xml"))));

        Assert.Contains("'path.SalesInvoice'", error.Message, StringComparison.Ordinal);
        Assert.Contains("{klant}", error.Message, StringComparison.Ordinal);
        Assert.Contains("'folder'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'format'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_acknowledgements_on_Koppel_reads_whether_the_receiver_moved_each_file_to_processed_or_error()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        var settings = Settings(consentId, ("driveId", _drive), ("format", "ubl"), ("acknowledgements", "on"));
        var references = new List<string>();
        foreach (var number in new[] { "KOP-1", "KOP-2", "KOP-3" })
        {
            references.Add((await connector.DeliverAsync(Context(DriveDocuments.Invoice(number), settings), default)).Reference!);
        }

        Fake.MoveFile(_drive, references[0], references[0].Replace("/2026/", "/2026/processed/", StringComparison.Ordinal));
        Fake.MoveFile(_drive, references[1], references[1].Replace("/2026/", "/2026/error/", StringComparison.Ordinal));

        var read = await connector.ReadAcknowledgementsAsync(settings, references, default);

        Assert.Equal([AcknowledgementStatus.Processed, AcknowledgementStatus.Rejected, AcknowledgementStatus.Waiting], read.Select(a => a.Status));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(159)]
    [InlineData(160)]
    [InlineData(161)]
    [InlineData(5_000)]
    [InlineData(1_048_577)]
    public async Task The_quickXorHash_of_the_connector_equals_the_hash_computed_bit_by_bit(int size)
    {
        var bytes = TestDeliveries.RandomBytes(size, seed: size);
        var whole = await QuickXorHash.ComputeAsync(new MemoryStream(bytes), default);
        var sliced = new QuickXorHash();
        for (var offset = 0; offset < size; offset += 777)
        {
            sliced.Append(bytes.AsSpan(offset, Math.Min(777, size - offset)));
        }

        Assert.Equal(OneDriveFake.QuickXorHash(bytes), whole);
        Assert.Equal(whole, sliced.Base64());
    }

    [Fact]
    public async Task No_token_code_or_client_secret_shows_up_in_any_result_message_exception_or_log_line()
    {
        var connector = _harness.NewProcess<OneDriveConnector>();
        var consentId = await ConsentAsync(connector);
        var texts = new List<string?>();
        texts.Add((await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId, ("driveId", _drive))), default)).Reference);
        Fake.Throttle(1, 429, 3);
        texts.Add((await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-2"), Settings(consentId, ("driveId", _drive))), default)).Reason);
        texts.Add((await connector.TestConnectionAsync(Settings(consentId), default)).Message);
        texts.Add(await connector.CompleteConsentAsync(Settings(), "not-a-code", default).ContinueWith(t => t.Exception?.InnerException?.Message, TaskScheduler.Default));
        _clock.Advance(TimeSpan.FromHours(2));
        texts.Add((await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-3"), Settings(consentId, ("driveId", _drive))), default)).Reference);
        Fake.RevokeRefreshTokens(_user);
        _clock.Advance(TimeSpan.FromHours(2));
        texts.Add((await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-4"), Settings(consentId, ("driveId", _drive))), default)).Reason);
        texts.AddRange(_harness.Logs.Lines);

        var secrets = Fake.IssuedSecrets.Append(Fake.ClientSecret).ToList();
        Assert.All(texts, text => Assert.All(secrets, secret => Assert.DoesNotContain(secret, text ?? string.Empty, StringComparison.Ordinal)));
        Assert.Contains(texts, t => t?.Contains("did not accept the sign-in", StringComparison.Ordinal) == true);
        Assert.Contains(texts, t => t?.Contains("connect to OneDrive again", StringComparison.Ordinal) == true);
    }

    private async Task<string> ConsentAsync(OneDriveConnector connector)
    {
        var consent = await connector.CompleteConsentAsync(Settings(), Fake.IssueCode(_user), default);
        return consent.ConnectionCredentials[OneDriveSettings.ConsentIdKey];
    }

    private string? StoredRefreshToken() =>
        JsonDocument.Parse(_harness.Ports.Secrets.Single(s => s.Key.StartsWith("oauth-onedrive-", StringComparison.Ordinal)).Value).RootElement.GetProperty("RefreshToken").GetString();

    private static ConnectorSettings Settings(string? consentId = null, params (string Key, string Value)[] options)
    {
        var all = options.ToDictionary(o => o.Key, o => o.Value);
        all.TryAdd(OneDriveSettings.TenantKey, Tenant);
        return DriveDocuments.Settings(OneDriveSettings.ConsentIdKey, consentId, all.Select(o => (o.Key, o.Value)));
    }

    private static DeliveryContext Context(TestDocument document, ConnectorSettings settings) => DriveDocuments.Context(document, settings, OneDriveConnector.ProviderKey);
}
