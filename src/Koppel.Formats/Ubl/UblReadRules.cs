namespace Koppel.Formats.Ubl;

/// <summary>Stable rule codes carried by <see cref="Findings.DocumentReadException"/> for UBL input.</summary>
public static class UblReadRules
{
    public const string Dtd = "XML-DTD";
    public const string Malformed = "XML-MALFORMED";
    public const string Truncated = "XML-TRUNCATED";
    public const string TooLarge = "XML-TOO-LARGE";
    public const string TooDeep = "XML-TOO-DEEP";
    public const string NotUbl = "UBL-ROOT";
    public const string BadNumber = "UBL-NUMBER";
    public const string BadDate = "UBL-DATE";
    public const string BadBoolean = "UBL-BOOLEAN";
    public const string BadBase64 = "UBL-BASE64";
}
