using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.Common;

/// <summary>
/// PingWin, BoCount, Count-e and Wings Online have no public document API: their invoices go to the dossier's SFTP
/// import folder, here the suite's real sshd.
/// </summary>
[Collection(SftpServerCollection.Name)]
public sealed class PendingApiThroughSftpTests(SftpServer server)
{
    private ConnectorSettings Settings(PendingApiVendor vendor, string? password = null) => VendorChannels.BySftp(server, password, vendor.Settings);

    [Theory]
    [MemberData(nameof(PendingApiVendor.Keys), MemberType = typeof(PendingApiVendor))]
    public async Task An_invoice_lands_once_in_the_import_folder_under_its_own_name_with_the_exact_bytes(string key)
    {
        var vendor = PendingApiVendor.All[key];
        var document = new TestDocument($"{vendor.Number}.xml", TestDeliveries.Ubl(vendor.Number), DocumentKind.SalesInvoice, number: vendor.Number);
        var deliveryId = VendorChannels.NewDeliveryId();
        var context = TestDeliveries.Context(document, Settings(vendor), vendor.Key, deliveryId);
        var connector = vendor.Connector();

        var first = await connector.DeliverAsync(context, CancellationToken.None);
        var again = await connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, first.Kind);
        var name = $"{vendor.Number}_{deliveryId[..12]}.xml";
        Assert.Equal($"{SftpServer.UploadFolder}/{name}", first.Reference);
        Assert.Equal(first.Reference, again.Reference);
        Assert.Equal(document.Content, await File.ReadAllBytesAsync(Path.Combine(SftpServer.UploadFolderOnDisk, name)));
        Assert.Single(Directory.GetFiles(SftpServer.UploadFolderOnDisk, $"*{deliveryId[..12]}*"));
    }

    [Theory]
    [MemberData(nameof(PendingApiVendor.Keys), MemberType = typeof(PendingApiVendor))]
    public async Task A_wrong_sftp_password_breaks_the_connection_in_the_channels_words(string key)
    {
        var vendor = PendingApiVendor.All[key];
        var document = new TestDocument($"{vendor.Number}.xml", TestDeliveries.Ubl(vendor.Number), DocumentKind.PurchaseInvoice, number: vendor.Number);

        var result = await vendor.Connector().DeliverAsync(TestDeliveries.Context(document, Settings(vendor, password: "not-the-password"), vendor.Key), CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Equal(ConnectionHealthStatus.Broken, result.ConnectionProblem);
        Assert.Contains("authentication failed for user koppelsftp", result.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain("not-the-password", result.Reason, StringComparison.Ordinal);
    }
}
