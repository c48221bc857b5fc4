using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Schema;

namespace Koppel.Formats.Validation;

/// <summary>
/// Compiles the UBL 2.1 Invoice and CreditNote schemas once per folder and keeps them. A compiled,
/// never-modified XmlSchemaSet is only read by validating readers, which is safe across threads.
/// </summary>
internal static class XsdSchemaCache
{
    public const string InvoiceXsd = "maindoc/UBL-Invoice-2.1.xsd";
    public const string CreditNoteXsd = "maindoc/UBL-CreditNote-2.1.xsd";

    private static readonly ConcurrentDictionary<string, Lazy<XmlSchemaSet>> Sets = new(StringComparer.Ordinal);

    public static bool LooksLikeUblXsdFolder(string folder) =>
        File.Exists(Path.Combine(folder, InvoiceXsd)) && File.Exists(Path.Combine(folder, CreditNoteXsd));

    public static XmlSchemaSet Get(string folder) =>
        Sets.GetOrAdd(Path.GetFullPath(folder), f => new Lazy<XmlSchemaSet>(() => Compile(f), LazyThreadSafetyMode.ExecutionAndPublication)).Value;

    private static XmlSchemaSet Compile(string folder)
    {
        // Trusted input only: the schema folder the operator configured. One of the OASIS files
        // (xmldsig) has a DOCTYPE, and the schemas import each other by relative path, so DTD parsing
        // and file resolution are allowed here and nowhere near an incoming document.
        var resolver = new XmlUrlResolver();
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Parse, XmlResolver = resolver };
        var set = new XmlSchemaSet { XmlResolver = resolver };
        foreach (var file in new[] { InvoiceXsd, CreditNoteXsd })
        {
            using var reader = XmlReader.Create(Path.Combine(folder, file), settings);
            set.Add(null, reader);
        }

        set.Compile();
        return set;
    }
}
