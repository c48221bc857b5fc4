using System.Text.Json;
using Koppel.Connectors.Dropbox;
using Koppel.Connectors.ExactOnline;
using Koppel.Connectors.Tests.ExactOnline;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;
using Koppel.ProviderFakes.Dropbox;
using Microsoft.Extensions.Time.Testing;

namespace Koppel.Connectors.Tests.Dropbox;

public sealed class DropboxConnectorTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 16, 9, 0, 0, TimeSpan.Zero));
    private DriveHarness<DropboxFake> _harness = null!;
    private string _account = null!;

    private DropboxFake Fake => _harness.Fake;

    private string Home => Fake.HomeNamespaceOf(_account);

    public async Task InitializeAsync()
    {
        _harness = await DriveHarness.StartAsync(new DropboxFake(_clock), _clock);
        _account = Fake.AddAccount("An Peeters", teamName: "Bakkerij Peeters");
        Fake.ConsentingAccount = _account;
        var url = _harness.BaseUrl.ToString();
        _harness.Configuration[$"{DropboxOptions.SectionName}:BaseUrl"] = url;
        _harness.Configuration[$"{DropboxOptions.SectionName}:ContentUrl"] = url;
        _harness.Configuration[$"{DropboxOptions.SectionName}:AuthUrl"] = url;
        _harness.Configuration[$"{DropboxOptions.SectionName}:AppKey"] = Fake.AppKey;
        _harness.Configuration[$"{DropboxOptions.SectionName}:RedirectUri"] = Fake.RedirectUri;
        _harness.Configuration[$"{DropboxOptions.SectionName}:SingleUploadLimitBytes"] = "100000";
        _harness.Configuration[$"{DropboxOptions.SectionName}:ChunkBytes"] = "65536";
        await ((Koppel.Core.Ports.ISecretStore)_harness.Ports).SetAsync("dropbox-app-secret", Fake.AppSecret, default);
    }

    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task The_user_consents_at_Dropbox_with_offline_access_and_only_the_secret_store_keeps_the_refresh_token()
    {
        var connector = _harness.NewProcess<DropboxConnector>();

        var url = await connector.AuthorizationUrlAsync(Settings(), "state-123", default);
        var code = await DriveHarness.SignInAsync(url, "state-123");
        var consent = await connector.CompleteConsentAsync(Settings(), code, default);

        Assert.Contains("token_access_type=offline", url.Query, StringComparison.Ordinal);
        Assert.Equal([DropboxSettings.ConsentIdKey], consent.ConnectionCredentials.Keys);
        Assert.Contains("An Peeters", consent.Message, StringComparison.Ordinal);
        var stored = JsonDocument.Parse(_harness.Ports.Secrets["oauth-dropbox-" + consent.ConnectionCredentials[DropboxSettings.ConsentIdKey]]).RootElement;
        Assert.StartsWith("rt.", stored.GetProperty("RefreshToken").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(consent.ConnectionCredentials.Values, v => Fake.IssuedSecrets.Contains(v));
    }

    [Fact]
    public async Task An_access_token_is_renewed_with_the_stored_refresh_token_once_it_nears_its_end_and_the_refresh_token_is_kept()
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        var refreshToken = StoredRefreshToken(consentId);

        var first = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId)), default);
        _clock.Advance(TimeSpan.FromHours(3.95)); // inside the 5-minute margin before the 4-hour end
        var second = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-2"), Settings(consentId)), default);

        Assert.Equal(DeliveryResultKind.Delivered, first.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, second.Kind);
        Assert.Equal(1, Fake.RefreshCount);
        Assert.Equal(refreshToken, StoredRefreshToken(consentId)); // Dropbox does not rotate it
    }

    [Fact]
    public async Task A_revoked_consent_breaks_the_connection_asks_for_a_new_consent_and_is_not_tried_again()
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        Fake.RevokeApp(_account);
        _clock.Advance(TimeSpan.FromHours(5));

        var first = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId)), default);
        var tokenCalls = Fake.Requests.Count(r => r.StartsWith("/oauth2/token refresh_token", StringComparison.Ordinal));
        var second = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-2"), Settings(consentId)), default);
        var test = await connector.TestConnectionAsync(Settings(consentId), default);

        Assert.Equal(ConnectionHealthStatus.NeedsConsent, first.ConnectionProblem);
        Assert.Contains("connect to Dropbox again", first.Reason, StringComparison.Ordinal);
        Assert.Equal(ConnectionHealthStatus.NeedsConsent, second.ConnectionProblem);
        Assert.Equal(tokenCalls, Fake.Requests.Count(r => r.StartsWith("/oauth2/token refresh_token", StringComparison.Ordinal)));
        Assert.True(test.NeedsConsent);
    }

    [Fact]
    public async Task An_invoice_arrives_as_its_UBL_with_the_embedded_PDF_beside_it_under_the_path_template()
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        var invoice = DriveDocuments.Invoice("KOP-2026-0042");

        var result = await connector.DeliverAsync(Context(invoice, Settings(consentId, ("path.SalesInvoice", "/Boekhouding/{dossier}/{kind}/{yyyy}-{mm}/{number}_{documentId}"))), default);

        var stem = $"/Boekhouding/{TestDeliveries.DossierId}/SalesInvoice/2026-03/KOP-2026-0042_{invoice.Record.Id[..12]}";
        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(stem + ".xml", result.Reference);
        var files = Fake.Files(Home);
        Assert.Equal(invoice.Content, files[stem + ".xml"]);
        Assert.Equal(ExactHarness.PdfBytes, files[stem + ".pdf"]);
    }

    [Fact]
    public async Task With_format_pdf_only_the_embedded_PDF_goes_and_an_invoice_without_one_is_refused_with_the_reason()
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        var settings = Settings(consentId, ("format", "pdf"));

        var withPdf = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), settings), default);
        var withoutPdf = await connector.DeliverAsync(Context(new TestDocument("bare.xml", TestDeliveries.Ubl("KOP-3"), DocumentKind.SalesInvoice, DocumentFormat.UblInvoice, "KOP-3"), settings), default);

        Assert.Equal(DeliveryResultKind.Delivered, withPdf.Kind);
        Assert.EndsWith(".pdf", withPdf.Reference, StringComparison.Ordinal);
        Assert.Single(Fake.Files(Home));
        Assert.Equal(DeliveryResultKind.Permanent, withoutPdf.Kind);
        Assert.Contains("no PDF", withoutPdf.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_file_above_the_threshold_goes_through_an_upload_session_in_chunks_and_arrives_whole()
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        var big = DriveDocuments.Scan(300_000);

        var result = await connector.DeliverAsync(Context(big, Settings(consentId)), default);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(big.Content, Fake.Files(Home)[result.Reference!]);
        Assert.Equal(0, Fake.UploadCount);
        Assert.Equal(1, Fake.SessionCount);
        Assert.Equal([65536, 65536, 65536, 65536, 37856], Fake.SessionChunkSizes);
    }

    [Theory]
    [InlineData("too_many_write_operations", "busy with other writes")]
    [InlineData("too_many_requests", "slow down")]
    public async Task Throttling_is_a_transient_failure_that_waits_as_long_as_Dropbox_asks(string reason, string said)
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        Fake.RespondTooManyRequests(1, retryAfterSeconds: 17, reason);

        var result = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId, ("format", "ubl"))), default);

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.Equal(TimeSpan.FromSeconds(17), result.RetryAfter);
        Assert.Contains(said, result.Reason, StringComparison.Ordinal);
        Assert.Empty(Fake.Files(Home));
    }

    [Fact]
    public async Task Someone_elses_file_under_the_same_name_is_never_overwritten_and_the_user_is_told_what_to_do()
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        var invoice = DriveDocuments.Invoice("KOP-1");
        var path = $"/{TestDeliveries.DossierId}/SalesInvoice/2026/KOP-1_{invoice.Record.Id[..12]}.xml";
        var theirs = "<theirs/>"u8.ToArray();
        Fake.PutFile(Home, path, theirs);

        var result = await connector.DeliverAsync(Context(invoice, Settings(consentId, ("format", "ubl"))), default);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("never overwrites", result.Reason, StringComparison.Ordinal);
        Assert.Equal(theirs, Fake.Files(Home)[path]);
    }

    [Theory]
    [InlineData(1_000)]
    [InlineData(300_000)]
    public async Task A_retry_after_a_lost_response_finds_its_own_file_and_makes_no_second_one(int size)
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        var scan = DriveDocuments.Scan(size);
        Fake.DropResponseAfterUpload = true;

        var lost = await connector.DeliverAsync(Context(scan, Settings(consentId)), default);
        var retry = await connector.DeliverAsync(Context(scan, Settings(consentId)), default);

        Assert.Equal(DeliveryResultKind.Transient, lost.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, retry.Kind);
        var file = Assert.Single(Fake.Files(Home));
        Assert.Equal(retry.Reference, file.Key);
        Assert.Equal(scan.Content, file.Value);
        Assert.True(Fake.SessionCount <= 1);
    }

    [Fact]
    public void A_path_template_with_an_unknown_placeholder_is_refused_naming_the_setting()
    {
        var connector = _harness.NewProcess<DropboxConnector>();

        var error = Assert.Throws<ConnectorConfigurationException>(() => connector.ValidateSettings(Settings(null, ("path.PurchaseInvoice", "/{dossier}/{nummer}_{documentId}"), ("path.BankStatement", "/{dossier}/../{documentId}"))));

        Assert.Contains("'path.PurchaseInvoice'", error.Message, StringComparison.Ordinal);
        Assert.Contains("{nummer}", error.Message, StringComparison.Ordinal);
        Assert.Contains("'path.BankStatement'", error.Message, StringComparison.Ordinal);
        connector.ValidateSettings(Settings(null, ("path.PurchaseInvoice", "/{dossier}/{yyyy}/{mm}/{number}_{documentId}")));
    }

    [Fact]
    public async Task A_team_account_is_offered_its_team_space_and_files_then_land_there()
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        var team = Fake.RootNamespaceOf(_account);

        var test = await connector.TestConnectionAsync(Settings(consentId), default);
        var result = await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId, ("namespaceId", team), ("format", "ubl"))), default);

        Assert.True(test.Success);
        var choice = Assert.Single(test.Choices);
        Assert.Equal((DropboxSettings.NamespaceKey, team), (choice.Setting, choice.Value));
        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Single(Fake.Files(team));
        Assert.Empty(Fake.Files(Home));
    }

    [Fact]
    public async Task With_acknowledgements_on_Koppel_reads_whether_the_receiver_moved_each_file_to_processed_or_error()
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        var settings = Settings(consentId, ("format", "ubl"), ("acknowledgements", "on"));
        var references = new List<string>();
        foreach (var number in new[] { "KOP-1", "KOP-2", "KOP-3", "KOP-4" })
        {
            references.Add((await connector.DeliverAsync(Context(DriveDocuments.Invoice(number), settings), default)).Reference!);
        }

        Fake.MoveFile(Home, references[0], references[0].Replace("/2026/", "/2026/processed/", StringComparison.Ordinal));
        Fake.MoveFile(Home, references[1], references[1].Replace("/2026/", "/2026/error/", StringComparison.Ordinal));
        Fake.MoveFile(Home, references[3], "/elsewhere.xml");

        var read = await connector.ReadAcknowledgementsAsync(settings, references, default);
        var off = await connector.ReadAcknowledgementsAsync(Settings(consentId), references, default);

        Assert.Equal([AcknowledgementStatus.Processed, AcknowledgementStatus.Rejected, AcknowledgementStatus.Waiting, AcknowledgementStatus.Gone], read.Select(a => a.Status));
        Assert.All(off, a => Assert.Equal(AcknowledgementStatus.NotUsed, a.Status));
    }

    [Fact]
    public async Task No_token_code_or_app_secret_shows_up_in_any_result_message_exception_or_log_line()
    {
        var connector = _harness.NewProcess<DropboxConnector>();
        var consentId = await ConsentAsync(connector);
        var texts = new List<string?>();
        texts.Add((await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-1"), Settings(consentId)), default)).Reference);
        Fake.RespondTooManyRequests(1, 3, "too_many_write_operations");
        texts.Add((await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-2"), Settings(consentId)), default)).Reason);
        texts.Add((await connector.TestConnectionAsync(Settings(consentId), default)).Message);
        texts.Add((await connector.CompleteConsentAsync(Settings(), "not-a-code", default).ContinueWith(t => t.Exception?.InnerException?.Message, TaskScheduler.Default)));
        Fake.RevokeApp(_account);
        _clock.Advance(TimeSpan.FromHours(5));
        texts.Add((await connector.DeliverAsync(Context(DriveDocuments.Invoice("KOP-3"), Settings(consentId)), default)).Reason);
        texts.Add(Settings(consentId).ToString());
        texts.AddRange(_harness.Logs.Lines);

        var secrets = Fake.IssuedSecrets.Append(Fake.AppSecret).ToList();
        Assert.NotEmpty(secrets);
        Assert.All(texts, text => Assert.All(secrets, secret => Assert.DoesNotContain(secret, text ?? string.Empty, StringComparison.Ordinal)));
        Assert.Contains(texts, t => t?.Contains("did not accept the sign-in", StringComparison.Ordinal) == true);
    }

    private async Task<string> ConsentAsync(DropboxConnector connector)
    {
        var consent = await connector.CompleteConsentAsync(Settings(), Fake.IssueCode(_account), default);
        return consent.ConnectionCredentials[DropboxSettings.ConsentIdKey];
    }

    private string? StoredRefreshToken(string consentId) =>
        JsonDocument.Parse(_harness.Ports.Secrets["oauth-dropbox-" + consentId]).RootElement.GetProperty("RefreshToken").GetString();

    private static ConnectorSettings Settings(string? consentId = null, params (string Key, string Value)[] options) =>
        DriveDocuments.Settings(DropboxSettings.ConsentIdKey, consentId, options);

    private static DeliveryContext Context(TestDocument document, ConnectorSettings settings) => DriveDocuments.Context(document, settings, DropboxConnector.ProviderKey);
}
