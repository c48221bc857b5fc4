namespace Koppel.Formats.Sniffing;

/// <summary>What a file turned out to be, judged from its first bytes.</summary>
public enum DocumentFormat
{
    Unknown,
    UblInvoice,
    UblCreditNote,
    OtherXml,
    Coda,
    Pdf,
}
