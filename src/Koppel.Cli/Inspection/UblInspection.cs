using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;
using Koppel.Formats.Validation;

namespace Koppel.Cli.Inspection;

/// <summary>The inspection of a UBL Invoice or CreditNote: key fields, totals, VAT breakdown, attachments and the validator's findings.</summary>
internal sealed class UblInspection(string file, UblDocument document, IReadOnlyList<Finding> findings)
{
    public static void Inspect(string file, Stream content, bool json, Stream output)
    {
        // Without a schema folder the XSD layer reports itself as skipped; the rule layers always run.
        var report = UblValidator.Validate(content);
        var inspection = new UblInspection(file, report.Document!, report.Findings.ToList());
        if (json)
        {
            using (var writer = new Utf8JsonWriter(output, JsonLines.WriterOptions))
            {
                JsonSerializer.Serialize(writer, inspection.ToJson(), UblJsonContext.Default.UblJson);
            }

            output.Write("\n"u8);
        }
        else
        {
            output.Write(Encoding.UTF8.GetBytes(inspection.ToSummary() + "\n"));
        }
    }

    private UblJson ToJson() => new(
        file,
        "ubl",
        document.Kind == UblDocumentKind.Invoice ? "invoice" : "credit-note",
        document.TypeCode,
        document.Number,
        document.IssueDate,
        document.DocumentCurrencyCode,
        ProfileName(document.Profile),
        PartyJson.From(document.Supplier),
        PartyJson.From(document.Customer),
        document.Lines.Count,
        TotalsJson.From(document),
        document.VatBreakdown.Select(TaxJson.From).ToList(),
        document.Attachments.Select(a => new AttachmentJson(a.FileName, a.MimeCode, a.DecodedSize)).ToList(),
        findings.Select(FindingJson.From).ToList());

    private string ToSummary()
    {
        var culture = CultureInfo.InvariantCulture;
        var kind = document.Kind == UblDocumentKind.Invoice ? "invoice" : "credit note";
        var text = new StringBuilder();
        text.AppendLine(string.Create(culture, $"{file}: UBL {kind} {document.Number} of {document.IssueDate:yyyy-MM-dd}, profile {ProfileName(document.Profile)}"));
        text.AppendLine(string.Create(culture, $"  supplier {PartyLine(document.Supplier)}"));
        text.AppendLine(string.Create(culture, $"  customer {PartyLine(document.Customer)}"));
        text.AppendLine(string.Create(culture, $"  {document.Lines.Count} line(s), VAT {document.VatTotal?.TaxAmount?.Value:N2}, payable {document.Totals?.PayableAmount?.Value:N2} {document.DocumentCurrencyCode}"));
        foreach (var attachment in document.Attachments)
        {
            text.AppendLine(string.Create(culture, $"  attachment {attachment.FileName} ({attachment.MimeCode}, {attachment.DecodedSize:N0} bytes)"));
        }

        text.Append(string.Create(culture, $"  {findings.Count} finding(s)"));
        foreach (var finding in findings)
        {
            text.AppendLine();
            text.Append(string.Create(culture, $"    {finding}"));
        }

        return text.ToString();
    }

    private static string PartyLine(UblParty? party) =>
        party is null ? "(none)" : $"{party.TradingName ?? party.LegalName} VAT {party.VatNumber ?? "-"} endpoint {Endpoint(party) ?? "-"}";

    private static string? Endpoint(UblParty? party) => party?.Endpoint is { } endpoint
        ? endpoint.SchemeId is null ? endpoint.Value : $"{endpoint.SchemeId}:{endpoint.Value}"
        : null;

    private static string ProfileName(UblProfile profile) => profile switch
    {
        UblProfile.PeppolBis3 => "peppol-bis3",
        UblProfile.UblBe => "ubl-be",
        UblProfile.XRechnung => "xrechnung",
        UblProfile.OtherEn16931 => "en16931",
        _ => "unknown",
    };

    internal sealed record UblJson(
        string File,
        string Format,
        string Kind,
        string? TypeCode,
        string? Number,
        DateOnly? IssueDate,
        string? Currency,
        string Profile,
        PartyJson? Supplier,
        PartyJson? Customer,
        int LineCount,
        TotalsJson? Totals,
        IReadOnlyList<TaxJson> TaxBreakdown,
        IReadOnlyList<AttachmentJson> Attachments,
        IReadOnlyList<FindingJson> Findings);

    internal sealed record PartyJson(string? Name, string? LegalName, string? Vat, string? Endpoint)
    {
        public static PartyJson? From(UblParty? party) =>
            party is null ? null : new(party.TradingName, party.LegalName, party.VatNumber, UblInspection.Endpoint(party));
    }

    internal sealed record TotalsJson(
        decimal? LineExtension,
        decimal? Allowances,
        decimal? Charges,
        decimal? TaxExclusive,
        decimal? Tax,
        decimal? TaxInclusive,
        decimal? Prepaid,
        decimal? Rounding,
        decimal? Payable)
    {
        public static TotalsJson? From(UblDocument document) => document.Totals is not { } totals ? null : new(
            totals.LineExtensionAmount?.Value,
            totals.AllowanceTotalAmount?.Value,
            totals.ChargeTotalAmount?.Value,
            totals.TaxExclusiveAmount?.Value,
            document.VatTotal?.TaxAmount?.Value,
            totals.TaxInclusiveAmount?.Value,
            totals.PrepaidAmount?.Value,
            totals.PayableRoundingAmount?.Value,
            totals.PayableAmount?.Value);
    }

    internal sealed record TaxJson(string? Category, decimal? Rate, decimal? Taxable, decimal? Tax)
    {
        public static TaxJson From(UblTaxSubtotal subtotal) =>
            new(subtotal.Category?.Code, subtotal.Category?.Percent, subtotal.TaxableAmount?.Value, subtotal.TaxAmount?.Value);
    }

    internal sealed record AttachmentJson(string? FileName, string? MimeType, long Size);
}

/// <summary>Source-generated serialization of the UBL inspection (no reflection: the CLI is published with Native AOT).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(UblInspection.UblJson))]
internal sealed partial class UblJsonContext : JsonSerializerContext;
