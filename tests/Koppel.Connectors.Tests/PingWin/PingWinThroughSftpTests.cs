using Koppel.Connectors.PingWin;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.PingWin;

/// <summary>PingWin has no public document API: its invoices go to the dossier's PingWin SFTP import folder, here the suite's real sshd.</summary>
[Collection(SftpServerCollection.Name)]
public sealed class PingWinThroughSftpTests(SftpServer server)
{
    private readonly PingWinConnector _connector = new(TestNetwork.LoopbackAllowed);

    private ConnectorSettings Settings(string? password = null) => VendorChannels.BySftp(server, password, new Dictionary<string, string> { ["apiKey"] = "pw-api-key-4711", ["clid"] = "C42", ["fileId"] = "F7" });

    [Fact]
    public async Task An_invoice_lands_once_in_the_import_folder_under_its_own_name_with_the_exact_bytes()
    {
        var document = new TestDocument("PW-2026-0007.xml", TestDeliveries.Ubl("PW-2026-0007"), DocumentKind.SalesInvoice, number: "PW-2026-0007");
        var deliveryId = VendorChannels.NewDeliveryId();
        var context = TestDeliveries.Context(document, Settings(), PingWinConnector.Key, deliveryId);

        var first = await _connector.DeliverAsync(context, CancellationToken.None);
        var again = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, first.Kind);
        var name = $"PW-2026-0007_{deliveryId[..12]}.xml";
        Assert.Equal($"{SftpServer.UploadFolder}/{name}", first.Reference);
        Assert.Equal(first.Reference, again.Reference);
        Assert.Equal(document.Content, await File.ReadAllBytesAsync(Path.Combine(SftpServer.UploadFolderOnDisk, name)));
        Assert.Single(Directory.GetFiles(SftpServer.UploadFolderOnDisk, $"*{deliveryId[..12]}*"));
    }

    [Fact]
    public async Task A_wrong_sftp_password_breaks_the_connection_in_the_channels_words()
    {
        var wrong = Settings(password: "not-the-password");
        var document = new TestDocument("PW-2026-0007.xml", TestDeliveries.Ubl("PW-2026-0007"), DocumentKind.PurchaseInvoice, number: "PW-2026-0007");

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, wrong, PingWinConnector.Key), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains("authentication failed for user koppelsftp", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", result.Reason, StringComparison.Ordinal);
    }
}
