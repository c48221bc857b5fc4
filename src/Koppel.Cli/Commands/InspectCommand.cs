using Koppel.Cli.Inspection;
using Koppel.Formats.Findings;
using Koppel.Formats.Sniffing;

namespace Koppel.Cli.Commands;

/// <summary><c>koppel inspect &lt;files...&gt; [--json]</c>: reads each file and prints a summary or a JSON line.</summary>
internal static class InspectCommand
{
    public const string Usage = "Usage: koppel inspect [--json] [--] <files...>";

    /// <summary>Inspects each file in turn; 0 when every file was read (even with findings), 1 when one could not be.</summary>
    public static int Run(IReadOnlyList<string> files, bool json, Stream output, TextWriter error)
    {
        var exitCode = KoppelCommandLine.Success;
        foreach (var file in files)
        {
            if (!InspectFile(file, json, output, error))
            {
                exitCode = KoppelCommandLine.ReadFailure;
            }
        }

        return exitCode;
    }

    /// <summary>Prints the inspection of one file; returns false (after telling why on stderr) when it could not be read.</summary>
    private static bool InspectFile(string file, bool json, Stream output, TextWriter error)
    {
        try
        {
            using var content = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024);
            var format = Sniff(content);
            content.Position = 0;
            if (Inspector(format) is not { } inspect)
            {
                error.WriteLine($"{file}: error: {DescribeUnsupported(format)}");
                return false;
            }

            inspect(file, content, json, output);
            return true;
        }
        catch (DocumentReadException e)
        {
            // The message already ends with "(line N, position P)" when the reader knows where it stopped.
            error.WriteLine($"{file}: error {e.Rule}: {e.Message}");
        }
        catch (IOException e)
        {
            error.WriteLine($"{file}: error: {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            error.WriteLine($"{file}: error: {e.Message}");
        }

        return false;
    }

    private static Inspector? Inspector(DocumentFormat format) => format switch
    {
        DocumentFormat.Coda => CodaInspection.Inspect,
        DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote => UblInspection.Inspect,
        _ => null,
    };

    private static string DescribeUnsupported(DocumentFormat format) => format switch
    {
        DocumentFormat.Unknown => "format not recognised (neither a CODA statement nor a UBL document).",
        DocumentFormat.OtherXml => "an XML document that is neither a UBL Invoice nor a UBL CreditNote.",
        _ => $"{format} documents cannot be inspected by this build.",
    };

    private static DocumentFormat Sniff(Stream content)
    {
        var prefix = new byte[DocumentSniffer.PrefixLength];
        var read = content.ReadAtLeast(prefix, prefix.Length, throwOnEndOfStream: false);
        var sniffed = prefix.AsSpan(0, read);

        return DocumentSniffer.Sniff(sniffed);
    }
}
