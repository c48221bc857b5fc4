using Koppel.Connectors.LocalFolder;
using Koppel.Connectors.Tests.Support;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;

namespace Koppel.Connectors.Tests.LocalFolder;

public sealed class LocalFolderConnectorTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly LocalFolderConnector _connector;

    public LocalFolderConnectorTests()
    {
        var options = new LocalFolderOptions();
        options.AllowedRoots.Add(_root.Path);
        _connector = new LocalFolderConnector(Microsoft.Extensions.Options.Options.Create(options));
    }

    public void Dispose() => _root.Dispose();

    private ConnectorSettings Settings(string? layout = null)
    {
        var options = new Dictionary<string, string> { ["path"] = _root.Path };
        if (layout is not null)
        {
            options["layout"] = layout;
        }

        return TestDeliveries.Settings(options);
    }

    [Fact]
    public async Task Delivers_the_exact_bytes_under_the_deterministic_name()
    {
        var document = new TestDocument("Factuur 2026/0042.xml", TestDeliveries.Ubl("2026-0042"));
        var context = TestDeliveries.Context(document, Settings(), LocalFolderConnector.ProviderKey, deliveryId: "d0123456789abcdef");

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal("0123456749/PurchaseInvoice/0042_d0123456789a.xml", result.Reference);
        Assert.Equal(document.Content, await File.ReadAllBytesAsync(Path.Combine(_root.Path, result.Reference!)));
    }

    [Fact]
    public async Task Writes_embedded_attachments_beside_the_document()
    {
        var pdf = TestDeliveries.RandomBytes(200_000, seed: 1);
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1")).WithAttachment("inv.pdf", "application/pdf", pdf);
        var context = TestDeliveries.Context(document, Settings(), LocalFolderConnector.ProviderKey, deliveryId: "dabcdefabcdefabcdef");

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        var folder = Path.Combine(_root.Path, "0123456749", "PurchaseInvoice");
        Assert.Equal(pdf, await File.ReadAllBytesAsync(Path.Combine(folder, "inv_dabcdefabcde_inv.pdf")));
        Assert.Equal(["inv_dabcdefabcde.xml", "inv_dabcdefabcde_inv.pdf"], Directory.GetFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Delivering_the_same_delivery_twice_leaves_one_file_and_the_same_reference()
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("7"));
        var context = TestDeliveries.Context(document, Settings(), LocalFolderConnector.ProviderKey);

        var first = await _connector.DeliverAsync(context, CancellationToken.None);
        var second = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, first.Kind);
        Assert.Equal(DeliveryResultKind.Delivered, second.Kind);
        Assert.Equal(first.Reference, second.Reference);
        Assert.Single(Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_leftover_part_file_from_a_crash_is_replaced()
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("8"));
        var context = TestDeliveries.Context(document, Settings(), LocalFolderConnector.ProviderKey, deliveryId: "d111122223333444455");
        var folder = Directory.CreateDirectory(Path.Combine(_root.Path, "0123456749", "PurchaseInvoice")).FullName;
        await File.WriteAllBytesAsync(Path.Combine(folder, ".inv_d11112222333.xml.part"), new byte[5000]);

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Equal(["inv_d11112222333.xml"], Directory.GetFiles(folder).Select(Path.GetFileName));
        Assert.Equal(document.Content, await File.ReadAllBytesAsync(Path.Combine(folder, "inv_d11112222333.xml")));
    }

    [Fact]
    public async Task A_foreign_file_under_the_same_name_is_not_overwritten()
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("9"));
        var context = TestDeliveries.Context(document, Settings(), LocalFolderConnector.ProviderKey, deliveryId: "d999988887777666655");
        var folder = Directory.CreateDirectory(Path.Combine(_root.Path, "0123456749", "PurchaseInvoice")).FullName;
        var foreign = Path.Combine(folder, "inv_d99998888777.xml");
        await File.WriteAllTextAsync(foreign, "someone else's");

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains("does not overwrite", result.Reason, StringComparison.Ordinal);
        Assert.Equal("someone else's", await File.ReadAllTextAsync(foreign));
    }

    [Fact]
    public async Task The_layout_setting_chooses_the_kind_folder()
    {
        var document = new TestDocument("coda.cod", [1, 2, 3], DocumentKind.BankStatement, Koppel.Formats.Sniffing.DocumentFormat.Coda);
        var context = TestDeliveries.Context(document, Settings(layout: "in/{kind}"), LocalFolderConnector.ProviderKey, deliveryId: "d000000000000000000");

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal("0123456749/in/BankStatement/coda_d00000000000.cod", result.Reference);
    }

    [Fact]
    public async Task A_missing_folder_is_a_permanent_failure_with_a_clear_reason()
    {
        var missing = Path.Combine(_root.Path, "not-mounted");
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));
        var context = TestDeliveries.Context(document, TestDeliveries.Settings(new Dictionary<string, string> { ["path"] = missing }), LocalFolderConnector.ProviderKey);

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Permanent, result.Kind);
        Assert.Contains($"'{missing}' does not exist", result.Reason, StringComparison.Ordinal);
        Assert.False(Directory.Exists(missing));
    }

    [Fact]
    public async Task An_archive_read_failure_is_transient_and_publishes_nothing()
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));
        var context = new DeliveryContext(
            "d0000000000000000001",
            TestDeliveries.Dossier,
            new Connection { Id = "conn-1", DossierId = TestDeliveries.DossierId, Provider = LocalFolderConnector.ProviderKey, DocumentKinds = new HashSet<DocumentKind> { DocumentKind.PurchaseInvoice } },
            document.Record,
            Settings(),
            (_, _) => Task.FromResult<Stream>(new TripwireStream(new MemoryStream(document.Content), 1, () => throw new IOException("archive connection reset"))));

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Transient, result.Kind);
        Assert.Contains("archive connection reset", result.Reason, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFiles(_root.Path, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_turned_into_a_result()
    {
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => _connector.DeliverAsync(TestDeliveries.Context(document, Settings(), LocalFolderConnector.ProviderKey), cancelled.Token));
    }

    [Theory]
    [InlineData(null, "'path' (the folder to deliver into) is required.")]
    [InlineData("/etc", "'path' must lie inside a base folder the operator allows (Koppel:Connectors:LocalFolder:AllowedRoots)")]
    [InlineData("/root", "'path' must lie inside a base folder")]
    [InlineData("../../..", "'path' must not contain '..'")]
    [InlineData("inbox/../../../etc", "'path' must not contain '..'")]
    public async Task Settings_are_validated_with_clear_messages(string? path, string expected)
    {
        var options = path is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["path"] = path };

        var test = await _connector.TestConnectionAsync(TestDeliveries.Settings(options), CancellationToken.None);

        Assert.False(test.Success);
        Assert.Contains(expected, test.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Test_connection_succeeds_on_a_writable_folder_and_leaves_nothing_behind()
    {
        var test = await _connector.TestConnectionAsync(Settings(), CancellationToken.None);

        Assert.True(test.Success, test.Message);
        Assert.Empty(Directory.GetFileSystemEntries(_root.Path));
    }

    [Fact]
    public void A_path_that_leaves_the_base_folder_through_a_symbolic_link_is_refused()
    {
        Directory.CreateSymbolicLink(Path.Combine(_root.Path, "escape"), "/etc");

        var error = Assert.Throws<ConnectorConfigurationException>(
            () => ((IConnector)_connector).ValidateSettings(TestDeliveries.Settings(new Dictionary<string, string> { ["path"] = Path.Combine(_root.Path, "escape") })));

        Assert.Contains("symbolic link", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_relative_path_is_a_folder_inside_the_first_base_folder()
    {
        Directory.CreateDirectory(Path.Combine(_root.Path, "firm-a"));
        var document = new TestDocument("inv.xml", TestDeliveries.Ubl("1"));
        var context = TestDeliveries.Context(document, TestDeliveries.Settings(new Dictionary<string, string> { ["path"] = "firm-a" }), LocalFolderConnector.ProviderKey, deliveryId: "d0000000000000000042");

        var result = await _connector.DeliverAsync(context, CancellationToken.None);

        Assert.Equal(DeliveryResultKind.Delivered, result.Kind);
        Assert.Single(Directory.GetFiles(Path.Combine(_root.Path, "firm-a"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void Only_an_operator_may_set_up_a_local_folder()
    {
        Assert.True(_connector.Descriptor.OperatorOnly);
    }
}
