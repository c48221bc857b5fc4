using System.Text;

namespace Koppel.Formats.Tests.Ubl;

/// <summary>
/// A small, correct Peppol BIS 3 invoice from a Belgian supplier, written by the tests themselves
/// (so the suite has a known-good document even without the shared corpus).
/// </summary>
internal static class SampleInvoice
{
    public const string SupplierEnterpriseNumber = "0000000196";
    public const string CustomerEnterpriseNumber = "0739484052";

    public static string Xml(string? extraHeader = null, string? attachmentBase64 = null, string? doctype = null) => $"""
        <?xml version="1.0" encoding="UTF-8"?>{doctype}
        <Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2"
                 xmlns:cac="urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2"
                 xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">
          <cbc:CustomizationID>urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0</cbc:CustomizationID>
          <cbc:ProfileID>urn:fdc:peppol.eu:2017:poacc:billing:01:1.0</cbc:ProfileID>
          <cbc:ID>KOP-2026-0001</cbc:ID>
          <cbc:IssueDate>2026-03-02</cbc:IssueDate>
          <cbc:DueDate>2026-04-01</cbc:DueDate>
          <cbc:InvoiceTypeCode>380</cbc:InvoiceTypeCode>{extraHeader}
          <cbc:DocumentCurrencyCode>EUR</cbc:DocumentCurrencyCode>
          <cbc:BuyerReference>PO-778</cbc:BuyerReference>
          <cac:AdditionalDocumentReference>
            <cbc:ID>KOP-2026-0001.pdf</cbc:ID>
            <cac:Attachment>
              <cbc:EmbeddedDocumentBinaryObject mimeCode="application/pdf" filename="invoice.pdf">{attachmentBase64 ?? Convert.ToBase64String(Encoding.ASCII.GetBytes("%PDF-1.4 tiny"))}</cbc:EmbeddedDocumentBinaryObject>
            </cac:Attachment>
          </cac:AdditionalDocumentReference>
          <cac:AccountingSupplierParty>
            <cac:Party>
              <cbc:EndpointID schemeID="0208">{SupplierEnterpriseNumber}</cbc:EndpointID>
              <cac:PartyName><cbc:Name>Koppel Test Leverancier</cbc:Name></cac:PartyName>
              <cac:PostalAddress>
                <cbc:StreetName>Meir 1</cbc:StreetName>
                <cbc:CityName>Antwerpen</cbc:CityName>
                <cbc:PostalZone>2000</cbc:PostalZone>
                <cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country>
              </cac:PostalAddress>
              <cac:PartyTaxScheme>
                <cbc:CompanyID>BE{SupplierEnterpriseNumber}</cbc:CompanyID>
                <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
              </cac:PartyTaxScheme>
              <cac:PartyLegalEntity>
                <cbc:RegistrationName>Koppel Test Leverancier NV</cbc:RegistrationName>
                <cbc:CompanyID schemeID="0208">{SupplierEnterpriseNumber}</cbc:CompanyID>
              </cac:PartyLegalEntity>
            </cac:Party>
          </cac:AccountingSupplierParty>
          <cac:AccountingCustomerParty>
            <cac:Party>
              <cbc:EndpointID schemeID="0208">{CustomerEnterpriseNumber}</cbc:EndpointID>
              <cac:PostalAddress>
                <cbc:CityName>Brussel</cbc:CityName>
                <cac:Country><cbc:IdentificationCode>BE</cbc:IdentificationCode></cac:Country>
              </cac:PostalAddress>
              <cac:PartyLegalEntity>
                <cbc:RegistrationName>Duvel Klant BV</cbc:RegistrationName>
                <cbc:CompanyID schemeID="0208">{CustomerEnterpriseNumber}</cbc:CompanyID>
              </cac:PartyLegalEntity>
            </cac:Party>
          </cac:AccountingCustomerParty>
          <cac:PaymentMeans>
            <cbc:PaymentMeansCode>30</cbc:PaymentMeansCode>
            <cbc:PaymentID>+++090/9337/55493+++</cbc:PaymentID>
            <cac:PayeeFinancialAccount><cbc:ID>BE71096123456769</cbc:ID></cac:PayeeFinancialAccount>
          </cac:PaymentMeans>
          <cac:TaxTotal>
            <cbc:TaxAmount currencyID="EUR">52.50</cbc:TaxAmount>
            <cac:TaxSubtotal>
              <cbc:TaxableAmount currencyID="EUR">250.00</cbc:TaxableAmount>
              <cbc:TaxAmount currencyID="EUR">52.50</cbc:TaxAmount>
              <cac:TaxCategory>
                <cbc:ID>S</cbc:ID>
                <cbc:Percent>21</cbc:Percent>
                <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
              </cac:TaxCategory>
            </cac:TaxSubtotal>
          </cac:TaxTotal>
          <cac:LegalMonetaryTotal>
            <cbc:LineExtensionAmount currencyID="EUR">250.00</cbc:LineExtensionAmount>
            <cbc:TaxExclusiveAmount currencyID="EUR">250.00</cbc:TaxExclusiveAmount>
            <cbc:TaxInclusiveAmount currencyID="EUR">302.50</cbc:TaxInclusiveAmount>
            <cbc:PayableAmount currencyID="EUR">302.50</cbc:PayableAmount>
          </cac:LegalMonetaryTotal>
          <cac:InvoiceLine>
            <cbc:ID>1</cbc:ID>
            <cbc:InvoicedQuantity unitCode="HUR">2</cbc:InvoicedQuantity>
            <cbc:LineExtensionAmount currencyID="EUR">200.00</cbc:LineExtensionAmount>
            <cac:Item>
              <cbc:Name>Consultancy</cbc:Name>
              <cac:ClassifiedTaxCategory>
                <cbc:ID>S</cbc:ID>
                <cbc:Percent>21</cbc:Percent>
                <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
              </cac:ClassifiedTaxCategory>
            </cac:Item>
            <cac:Price><cbc:PriceAmount currencyID="EUR">100.00</cbc:PriceAmount></cac:Price>
          </cac:InvoiceLine>
          <cac:InvoiceLine>
            <cbc:ID>2</cbc:ID>
            <cbc:InvoicedQuantity unitCode="C62">10</cbc:InvoicedQuantity>
            <cbc:LineExtensionAmount currencyID="EUR">50.00</cbc:LineExtensionAmount>
            <cac:AllowanceCharge>
              <cbc:ChargeIndicator>false</cbc:ChargeIndicator>
              <cbc:AllowanceChargeReasonCode>95</cbc:AllowanceChargeReasonCode>
              <cbc:Amount currencyID="EUR">10.00</cbc:Amount>
            </cac:AllowanceCharge>
            <cac:Item>
              <cbc:Name>Cables</cbc:Name>
              <cac:ClassifiedTaxCategory>
                <cbc:ID>S</cbc:ID>
                <cbc:Percent>21</cbc:Percent>
                <cac:TaxScheme><cbc:ID>VAT</cbc:ID></cac:TaxScheme>
              </cac:ClassifiedTaxCategory>
            </cac:Item>
            <cac:Price>
              <cbc:PriceAmount currencyID="EUR">12.00</cbc:PriceAmount>
              <cbc:BaseQuantity unitCode="C62">2</cbc:BaseQuantity>
            </cac:Price>
          </cac:InvoiceLine>
        </Invoice>
        """;

    public static byte[] Bytes(string? extraHeader = null, string? attachmentBase64 = null) =>
        Encoding.UTF8.GetBytes(Xml(extraHeader, attachmentBase64));

    public static MemoryStream Stream(string? extraHeader = null, string? attachmentBase64 = null) =>
        new(Bytes(extraHeader, attachmentBase64), writable: false);
}
