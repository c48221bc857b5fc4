using Koppel.Connectors.Sftp;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;

namespace Koppel.Connectors.Tests.Sftp;

[Collection(SftpServerCollection.Name)]
public sealed class SftpConnectorTests
{
    private readonly SftpServer _server;
    private readonly SftpConnector _connector = new(TestNetwork.LoopbackAllowed);

    public SftpConnectorTests(SftpServer server)
    {
        _server = server;
    }

    private ConnectorSettings PasswordSettings(string? password = null, string? uploadPath = null, string? hostKey = null, int? port = null)
    {
        var options = _server.Options(uploadPath);
        if (hostKey is not null)
        {
            options["hostKeySha256"] = hostKey;
        }

        if (port is not null)
        {
            options["port"] = port.Value.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return TestDeliveries.Settings(options, new Dictionary<string, string> { ["password"] = password ?? _server.Password });
    }

    private static string NewDeliveryId() => "d" + Guid.NewGuid().ToString("N");

    [Fact]
    public async Task Uploads_the_exact_bytes_under_the_deterministic_name()
    {
        var document = new TestDocument("Factuur 42.xml", TestDeliveries.RandomBytes(300_000, seed: 42));
        var deliveryId = NewDeliveryId();
        var context = TestDeliveries.Context(document, PasswordSettings(), SftpConnector.ProviderKey, deliveryId);

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var expectedName = $"Factuur_42_{deliveryId[..12]}.xml";
        Assert.Equal($"Invoice_import/{expectedName}", result.Reference);
        Assert.Equal(document.Content, await File.ReadAllBytesAsync(Path.Combine(SftpServer.UploadFolderOnDisk, expectedName)));
    }

    [Fact]
    public async Task Delivering_the_same_delivery_twice_leaves_one_file_and_does_not_upload_again()
    {
        var document = new TestDocument("twice.xml", TestDeliveries.Ubl("twice"));
        var deliveryId = NewDeliveryId();
        var context = TestDeliveries.Context(document, PasswordSettings(), SftpConnector.ProviderKey, deliveryId);

        var first = await _connector.DeliverAsync(context, CancellationToken.None);
        var second = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, first.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, second.Kind);
        Assert.Equal(first.Reference, second.Reference);
        Assert.Equal(1, document.OpenCount);
        Assert.Single(Directory.GetFiles(SftpServer.UploadFolderOnDisk, $"*{deliveryId[..12]}*"));
    }

    [Fact]
    public async Task A_leftover_part_file_from_a_crash_is_replaced()
    {
        var document = new TestDocument("crashed.xml", TestDeliveries.Ubl("crashed"));
        var deliveryId = NewDeliveryId();
        var finalName = $"crashed_{deliveryId[..12]}.xml";
        using (var receiver = _server.Connect())
        {
            using var junk = new MemoryStream(new byte[10_000]);
            receiver.UploadFile(junk, $"Invoice_import/.{finalName}.part");
        }

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, PasswordSettings(), SftpConnector.ProviderKey, deliveryId), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal([finalName], Directory.GetFiles(SftpServer.UploadFolderOnDisk, $"*{deliveryId[..12]}*").Select(Path.GetFileName));
        Assert.Equal(document.Content, await File.ReadAllBytesAsync(Path.Combine(SftpServer.UploadFolderOnDisk, finalName)));
    }

    [Fact]
    public async Task A_private_key_logs_in_too()
    {
        var document = new TestDocument("keyed.xml", TestDeliveries.Ubl("keyed"));
        var settings = TestDeliveries.Settings(_server.Options(), new Dictionary<string, string> { ["privateKey"] = _server.ClientPrivateKey });

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, settings, SftpConnector.ProviderKey, NewDeliveryId()), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
    }

    [Fact]
    public async Task A_wrong_password_is_permanent_marks_the_connection_broken_and_the_reason_does_not_show_it()
    {
        const string wrongPassword = "Wr0ng-Passw0rd-4711";
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, PasswordSettings(wrongPassword), SftpConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.StartsWith("authentication failed for user koppelsftp at host 127.0.0.1", result.Reason, StringComparison.Ordinal);
        Assert.Equal(Koppel.Core.Domain.ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.DoesNotContain(wrongPassword, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pinned_host_key_that_does_not_match_is_permanent()
    {
        var otherKey = Convert.ToBase64String(System.Security.Cryptography.SHA256.HashData("another server"u8)).TrimEnd('=');
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, PasswordSettings(hostKey: otherKey), SftpConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(Koppel.Core.Domain.ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains($"host key mismatch for 127.0.0.1: expected {otherKey}, got {_server.HostKeySha256}", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_delivery_pins_the_host_key_it_saw_on_the_connection()
    {
        var document = new TestDocument("tofu.xml", TestDeliveries.Ubl("tofu"));

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, PasswordSettings(), SftpConnector.ProviderKey, NewDeliveryId()), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(_server.HostKeySha256, result.LearnedSettings["hostKeySha256"]);
    }

    [Fact]
    public async Task A_delivery_with_a_pinned_key_learns_nothing_new()
    {
        var document = new TestDocument("pinned2.xml", TestDeliveries.Ubl("pinned2"));

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, PasswordSettings(hostKey: _server.HostKeySha256), SftpConnector.ProviderKey, NewDeliveryId()), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Empty(result.LearnedSettings);
    }

    [Fact]
    public async Task An_internal_address_is_refused_unless_the_operator_allows_it()
    {
        var publicOnly = new SftpConnector(Koppel.Connectors.Common.NetworkGuard.PublicOnly);
        var document = new TestDocument("ssrf.xml", TestDeliveries.Ubl("ssrf"));

        var result = await publicOnly.DeliverAsync(TestDeliveries.Context(document, PasswordSettings(), SftpConnector.ProviderKey, NewDeliveryId()), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("Koppel may not connect to '127.0.0.1'", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(SftpServer.UploadFolderOnDisk, "ssrf*"));
    }

    [Fact]
    public async Task Test_connection_answers_alike_for_a_blocked_address_a_closed_port_and_a_port_that_is_not_ssh()
    {
        var blocked = await new SftpConnector(Koppel.Connectors.Common.NetworkGuard.PublicOnly).TestConnectionAsync(PasswordSettings(), CancellationToken.None);
        var closedPort = TestServices.FreeClosedPort();
        var closed = await _connector.TestConnectionAsync(PasswordSettings(port: closedPort), CancellationToken.None);
        var smtpPort = int.Parse(Environment.GetEnvironmentVariable("KOPPEL_TEST_SMTP_PORT") ?? "0", System.Globalization.CultureInfo.InvariantCulture);

        Assert.False(blocked.Success);
        Assert.False(closed.Success);
        Assert.Equal(blocked.Message, closed.Message.Replace($":{closedPort}", $":{_server.Port}", StringComparison.Ordinal));
        Assert.StartsWith("Koppel could not open a session with 127.0.0.1:", closed.Message, StringComparison.Ordinal);
        if (smtpPort > 0)
        {
            var notSsh = await _connector.TestConnectionAsync(PasswordSettings(port: smtpPort), CancellationToken.None);
            Assert.Equal(closed.Message.Replace($":{closedPort}", $":{smtpPort}", StringComparison.Ordinal), notSsh.Message);
        }
    }

    [Fact]
    public async Task A_pinned_host_key_that_matches_delivers_also_in_ssh_keygen_notation()
    {
        var document = new TestDocument("pinned.xml", TestDeliveries.Ubl("pinned"));
        var settings = PasswordSettings(hostKey: $"SHA256:{_server.HostKeySha256}");

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, settings, SftpConnector.ProviderKey, NewDeliveryId()), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
    }

    [Fact]
    public async Task A_closed_port_is_transient()
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, PasswordSettings(port: TestServices.FreeClosedPort()), SftpConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.StartsWith("could not connect to 127.0.0.1:", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_upload_folder_is_permanent()
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, PasswordSettings(uploadPath: "No_such_folder/"), SftpConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("'No_such_folder/' does not exist", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_folder_the_user_may_not_write_in_is_permanent()
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));

        // The login folder itself belongs to root; only Invoice_import is the user's.
        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, PasswordSettings(uploadPath: "."), SftpConnector.ProviderKey), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal("user koppelsftp may not write to '.' on 127.0.0.1:" + _server.Port + ".", result.Reason);
    }

    [Fact]
    public async Task Test_connection_pins_the_host_key_it_sees_first()
    {
        var test = await _connector.TestConnectionAsync(PasswordSettings(), CancellationToken.None);

        Assert.True(test.Success, test.Message);
        Assert.Contains($"The host key {_server.HostKeySha256} is now pinned", test.Message, StringComparison.Ordinal);
        Assert.Equal(_server.HostKeySha256, test.LearnedSettings["hostKeySha256"]);
        Assert.DoesNotContain(_server.Password, test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_connection_fails_clearly_on_a_wrong_password()
    {
        var test = await _connector.TestConnectionAsync(PasswordSettings("not-the-password"), CancellationToken.None);

        Assert.False(test.Success);
        Assert.True(test.CredentialsRejected);
        Assert.Contains("Authentication failed", test.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host", "'host' (the SFTP server) is required.")]
    [InlineData("username", "'username' (the user to log in as) is required.")]
    public async Task Missing_settings_are_named(string missing, string expected)
    {
        var options = _server.Options();
        options.Remove(missing);

        var test = await _connector.TestConnectionAsync(TestDeliveries.Settings(options), CancellationToken.None);

        Assert.False(test.Success);
        Assert.Contains(expected, test.Message, StringComparison.Ordinal);
        Assert.Contains("Either 'password' or 'privateKey' is required.", test.Message, StringComparison.Ordinal);
    }
}
