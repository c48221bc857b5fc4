using System.Diagnostics;
using System.Xml;

namespace Koppel.Formats.Tests.Ubl.Support;

/// <summary>
/// Runs an official schematron artefact (compiled XSLT) with Saxon-HE from Debian (libsaxonhe-java, installed by
/// scripts/test.sh) over a whole folder in one JVM (Saxon's -s:folder -o:folder batch mode), and reads the SVRL
/// results: the fatal rule ids per file, decided by each assert's flag attribute, never by its id.
/// </summary>
internal static class OfficialArtefacts
{
    public const string SaxonJar = "/usr/share/java/Saxon-HE.jar";

    private const string Svrl = "http://purl.oclc.org/dsdl/svrl";

    public static bool SaxonInstalled => File.Exists(SaxonJar);

    public static string CenXslt => Path.Combine(RulesFolder, "cen-en16931-ubl-1.3.14.1", "EN16931-UBL-validation.xslt");

    public static string PeppolXslt => Path.Combine(RulesFolder, "peppol-bis3-2025.11", "PEPPOL-EN16931-UBL.xslt");

    private static string RulesFolder => Path.Combine(Path.GetDirectoryName(Corpus.UblFolder)!, "rules");

    /// <summary>Transforms every file of <paramref name="inputFolder"/>; returns fatal rule ids per file name and the elapsed time.</summary>
    public static (IReadOnlyDictionary<string, IReadOnlySet<string>> Fatal, TimeSpan Elapsed) Run(string xslt, string inputFolder, string outputFolder)
    {
        Directory.CreateDirectory(outputFolder);
        var start = new ProcessStartInfo("java")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "-Xss8m", "-cp", SaxonJar, "net.sf.saxon.Transform", $"-s:{inputFolder}", $"-o:{outputFolder}", $"-xsl:{xslt}" })
        {
            start.ArgumentList.Add(argument);
        }

        if (Directory.EnumerateFiles(outputFolder).Any())
        {
            // A kept work folder (KOPPEL_VERDICT_WORK) already holds this artefact's results: only Koppel's side is rerun.
            return (ReadResults(inputFolder, outputFolder), TimeSpan.Zero);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("java did not start");
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Saxon did not finish {Path.GetFileName(xslt)} in 5 minutes");
        }

        clock.Stop();
        var fatal = ReadResults(inputFolder, outputFolder);
        if (fatal.Count == 0)
        {
            throw new InvalidOperationException($"Saxon produced no results (exit {process.ExitCode}): {stderr.Result}{stdout.Result}");
        }

        return (fatal, clock.Elapsed);
    }

    private static Dictionary<string, IReadOnlySet<string>> ReadResults(string inputFolder, string outputFolder)
    {
        var fatal = new Dictionary<string, IReadOnlySet<string>>(StringComparer.Ordinal);
        foreach (var input in Directory.EnumerateFiles(inputFolder))
        {
            var name = Path.GetFileName(input);
            var svrl = Path.Combine(outputFolder, name);
            if (!File.Exists(svrl))
            {
                // Saxon could not read the input (not well-formed XML): no verdict of the artefact.
                continue;
            }

            try
            {
                fatal[name] = FatalRules(svrl);
            }
            catch (XmlException)
            {
                // The artefact stopped with a dynamic error half-way through this file (e.g. a cast of a value it
                // did not expect): it gave no verdict, so the file is not compared.
            }
        }

        return fatal;
    }

    private static HashSet<string> FatalRules(string svrlPath)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        using var reader = XmlReader.Create(svrlPath, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit });
        while (reader.Read())
        {
            if (reader.NodeType == XmlNodeType.Element && reader.NamespaceURI == Svrl
                && (reader.LocalName == "failed-assert" || reader.LocalName == "successful-report")
                && reader.GetAttribute("flag") == "fatal")
            {
                rules.Add(reader.GetAttribute("id") ?? "(no id)");
            }
        }

        return rules;
    }
}
