using Koppel.Connectors.Tests.ExactOnline;
using Koppel.Core.Connectors;
using Koppel.Core.Domain;
using Koppel.Formats.Sniffing;

namespace Koppel.Connectors.Tests.Support;

/// <summary>Documents for the cloud-drive tests: small invoices with their PDF, scans of any size, and a delivery context dated in March 2026.</summary>
public static class DriveDocuments
{
    public static TestDocument Invoice(string number) =>
        new TestDocument($"{number}.xml", TestDeliveries.Ubl(number), DocumentKind.SalesInvoice, DocumentFormat.UblInvoice, number)
            .WithAttachment(number + ".pdf", "application/pdf", ExactHarness.PdfBytes);

    public static TestDocument Scan(int size) => new("scan.pdf", Pdf(size), DocumentKind.PurchaseInvoice, DocumentFormat.Pdf, "SCAN-1");

    public static ConnectorSettings Settings(string consentKey, string? consentId, IEnumerable<(string Key, string Value)> options) =>
        TestDeliveries.Settings(
            options.ToDictionary(o => o.Key, o => o.Value),
            consentId is null ? null : new Dictionary<string, string> { [consentKey] = consentId });

    /// <summary>The delivery of <paramref name="document"/> as the handler builds it, the document issued on 14 March 2026.</summary>
    public static DeliveryContext Context(TestDocument document, ConnectorSettings settings, string provider) =>
        new(
            DeliveryIds.For(document.Record.Id, "conn-1"),
            TestDeliveries.Dossier,
            new Connection { Id = "conn-1", DossierId = TestDeliveries.DossierId, Provider = provider, DocumentKinds = new HashSet<DocumentKind>(Enum.GetValues<DocumentKind>()) },
            document.Record with { IssueDate = new DateOnly(2026, 3, 14) },
            settings,
            document.OpenAsync);

    private static byte[] Pdf(int size)
    {
        var bytes = TestDeliveries.RandomBytes(size, seed: size);
        "%PDF-1.4\n"u8.CopyTo(bytes);
        return bytes;
    }
}
