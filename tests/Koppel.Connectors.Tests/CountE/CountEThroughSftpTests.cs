using Koppel.Connectors.CountE;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.CountE;

/// <summary>Count-e has no public document API: its invoices go to the dossier's Count-e SFTP import folder, here the suite's real sshd.</summary>
[Collection(SftpServerCollection.Name)]
public sealed class CountEThroughSftpTests(SftpServer server)
{
    private readonly CountEConnector _connector = new(TestNetwork.LoopbackAllowed);

    private ConnectorSettings Settings(string? password = null) => VendorChannels.BySftp(server, password, new Dictionary<string, string> { ["user"] = "peeters", ["password"] = "counte-secret-9", ["apiUrl"] = "https://instance.count-e.example/api", ["database"] = "peeters", ["customerNumber"] = "1042" });

    [Fact]
    public async Task An_invoice_lands_once_in_the_import_folder_under_its_own_name_with_the_exact_bytes()
    {
        var document = new TestDocument("CE-2026-0310.xml", TestDeliveries.Ubl("CE-2026-0310"), DocumentKind.SalesInvoice, number: "CE-2026-0310");
        var deliveryId = VendorChannels.NewDeliveryId();
        var context = TestDeliveries.Context(document, Settings(), CountEConnector.Key, deliveryId);

        var first = await _connector.DeliverAsync(context, CancellationToken.None);
        var again = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, first.Kind);
        var name = $"CE-2026-0310_{deliveryId[..12]}.xml";
        Assert.Equal($"{SftpServer.UploadFolder}/{name}", first.Reference);
        Assert.Equal(first.Reference, again.Reference);
        Assert.Equal(document.Content, await File.ReadAllBytesAsync(Path.Combine(SftpServer.UploadFolderOnDisk, name)));
        Assert.Single(Directory.GetFiles(SftpServer.UploadFolderOnDisk, $"*{deliveryId[..12]}*"));
    }

    [Fact]
    public async Task A_wrong_sftp_password_breaks_the_connection_in_the_channels_words()
    {
        var wrong = Settings(password: "not-the-password");
        var document = new TestDocument("CE-2026-0310.xml", TestDeliveries.Ubl("CE-2026-0310"), DocumentKind.PurchaseInvoice, number: "CE-2026-0310");

        var result = await _connector.DeliverAsync(TestDeliveries.Context(document, wrong, CountEConnector.Key), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains("authentication failed for user koppelsftp", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", result.Reason, StringComparison.Ordinal);
    }
}
