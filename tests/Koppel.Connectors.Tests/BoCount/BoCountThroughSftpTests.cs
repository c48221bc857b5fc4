using Koppel.Connectors.BoCount;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.BoCount;

/// <summary>BoCount has no public document API: its invoices go to the dossier's BoCount SFTP import folder, here the suite's real sshd.</summary>
[Collection(SftpServerCollection.Name)]
public sealed class BoCountThroughSftpTests(SftpServer server)
{
    private readonly BoCountConnector _connector = new(TestNetwork.LoopbackAllowed);

    private ConnectorSettings Settings(string? password = null) => VendorChannels.BySftp(server, password, new Dictionary<string, string> { ["user"] = "ws-peeters", ["password"] = "bocount-secret-1", ["companyNumber"] = "BE0123.456.749", ["baseUrl"] = "https://firm.bocount.example/" });

    [Fact]
    public async Task An_invoice_lands_once_in_the_import_folder_under_its_own_name_with_the_exact_bytes()
    {
        var document = new TestDocument("BC-2026-0108.xml", TestDeliveries.Ubl("BC-2026-0108"), DocumentKind.SalesInvoice, number: "BC-2026-0108");
        var deliveryId = VendorChannels.NewDeliveryId();
        var context = TestDeliveries.Context(document, Settings(), BoCountConnector.Key, deliveryId);

        var first = await _connector.DeliverAsync(context, CancellationToken.None);
        var again = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, first.Kind);
        var name = $"BC-2026-0108_{deliveryId[..12]}.xml";
        Assert.Equal($"{SftpServer.UploadFolder}/{name}", first.Reference);
        Assert.Equal(first.Reference, again.Reference);
        Assert.Equal(document.Content, await File.ReadAllBytesAsync(Path.Combine(SftpServer.UploadFolderOnDisk, name)));
        Assert.Single(Directory.GetFiles(SftpServer.UploadFolderOnDisk, $"*{deliveryId[..12]}*"));
    }

    [Fact]
    public async Task A_wrong_sftp_password_breaks_the_connection_in_the_channels_words()
    {
        var wrong = Settings(password: "not-the-password");
        var document = new TestDocument("BC-2026-0108.xml", TestDeliveries.Ubl("BC-2026-0108"), DocumentKind.PurchaseInvoice, number: "BC-2026-0108");

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, wrong, BoCountConnector.Key), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains("authentication failed for user koppelsftp", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", result.Reason, StringComparison.Ordinal);
    }
}
