using Koppel.Cli.Inspection;
using Koppel.Formats.Findings;
using Koppel.Formats.Sniffing;

namespace Koppel.Cli.Commands;

/// <summary><c>koppel inspect &lt;files...&gt; [--json]</c>: reads each file and prints a summary or a JSON line.</summary>
internal static class InspectCommand
{
    public const string Usage = "Usage: koppel inspect [--json] [--] <files...>";

    public static int Run(string[] args, TextWriter output, TextWriter error)
    {
        var files = new List<string>();
        var json = false;
        var onlyFilesFollow = false;
        foreach (var arg in args)
        {
            switch (arg)
            {
                case var _ when onlyFilesFollow:
                    files.Add(arg);
                    break;
                case "--":
                    // Everything after "--" is a file, even a name that starts with '-'.
                    onlyFilesFollow = true;
                    break;
                case "--json":
                    json = true;
                    break;
                case "-h" or "--help":
                    output.WriteLine(Usage);
                    return KoppelCommandLine.Success;
                case ['-', _, ..]:
                    error.WriteLine($"koppel inspect: unknown option '{arg}'.");
                    error.WriteLine(Usage);
                    return KoppelCommandLine.UsageError;
                default:
                    files.Add(arg);
                    break;
            }
        }

        if (files.Count == 0)
        {
            error.WriteLine("koppel inspect: no files given.");
            error.WriteLine(Usage);
            return KoppelCommandLine.UsageError;
        }

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
    private static bool InspectFile(string file, bool json, TextWriter output, TextWriter error)
    {
        try
        {
            using var content = File.OpenRead(file);
            var format = Sniff(content);
            content.Position = 0;
            var inspection = Inspect(file, format, content);
            if (inspection is null)
            {
                error.WriteLine($"{file}: error: {DescribeUnsupported(format)}");
                return false;
            }

            output.WriteLine(json ? inspection.ToJson() : inspection.ToSummary());
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

    private static IInspection? Inspect(string file, DocumentFormat format, Stream content) => format switch
    {
        DocumentFormat.Coda => CodaInspection.Read(file, content),
        DocumentFormat.UblInvoice or DocumentFormat.UblCreditNote => UblInspection.Read(file, content),
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
