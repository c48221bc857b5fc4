using System.Xml;
using BenchmarkDotNet.Attributes;
using Koppel.Formats.Ubl;
using Koppel.Formats.Validation;

namespace Koppel.Benchmarks;

/// <summary>
/// UBL reading and validation against a bare XmlReader pass over the same bytes. Divide the bytes
/// printed at setup by the mean time for MB/s; the corpus benchmark reads every corpus file once.
/// </summary>
[MemoryDiagnoser]
public class UblBenchmarks
{
    private List<byte[]> _corpus = [];
    private string _largeFile = string.Empty;

    [GlobalSetup]
    public void Setup()
    {
        _corpus = UblBenchmarkFiles.CorpusFiles().Select(File.ReadAllBytes).ToList();
        _largeFile = UblLargeInvoice.WriteTempFile(lineCount: 10_000, attachmentBytes: 20L * 1024 * 1024);
        Console.WriteLine($"// corpus: {_corpus.Count} documents, {_corpus.Sum(c => c.LongLength):N0} bytes; large invoice: {new FileInfo(_largeFile).Length:N0} bytes");
    }

    [Benchmark(Baseline = true)]
    public long CorpusBareXmlReader()
    {
        long nodes = 0;
        foreach (var bytes in _corpus)
        {
            nodes += BareRead(new MemoryStream(bytes, writable: false));
        }

        return nodes;
    }

    [Benchmark]
    public int CorpusRead()
    {
        var lines = 0;
        foreach (var bytes in _corpus)
        {
            lines += UblReader.Read(new MemoryStream(bytes, writable: false)).Lines.Count;
        }

        return lines;
    }

    [Benchmark]
    public int CorpusReadAndValidateRules()
    {
        var findings = 0;
        var options = new UblValidationOptions { ApplyPeppolRulesToOtherProfiles = true };
        foreach (var bytes in _corpus)
        {
            findings += UblValidator.Validate(new MemoryStream(bytes, writable: false), options).Findings.Count();
        }

        return findings;
    }

    [Benchmark]
    public int CorpusReadAndValidateWithXsd()
    {
        var findings = 0;
        var options = new UblValidationOptions { XsdFolder = UblBenchmarkFiles.XsdFolder() };
        foreach (var bytes in _corpus)
        {
            findings += UblValidator.Validate(new MemoryStream(bytes, writable: false), options).Findings.Count();
        }

        return findings;
    }

    [Benchmark]
    public long LargeBareXmlReader()
    {
        using var file = File.OpenRead(_largeFile);
        return BareRead(file);
    }

    [Benchmark]
    public int LargeRead()
    {
        using var file = File.OpenRead(_largeFile);
        return UblReader.Read(file).Lines.Count;
    }

    [Benchmark]
    public int LargeReadAndValidateRules()
    {
        using var file = File.OpenRead(_largeFile);
        return UblValidator.Validate(file).Findings.Count();
    }

    /// <summary>The floor: every node visited, base64 decoded into a reused buffer, nothing kept.</summary>
    internal static long BareRead(Stream stream)
    {
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true });
        var buffer = new byte[48 * 1024];
        long nodes = 0;
        while (reader.Read())
        {
            nodes++;
            if (reader.NodeType == XmlNodeType.Element && reader.LocalName == "EmbeddedDocumentBinaryObject")
            {
                while (reader.ReadElementContentAsBase64(buffer, 0, buffer.Length) > 0)
                {
                }
            }
        }

        return nodes;
    }
}

/// <summary>Finds the shared corpus next to the repository (or at KOPPEL_CORPUS).</summary>
public static class UblBenchmarkFiles
{
    public static string CorpusRoot()
    {
        var configured = Environment.GetEnvironmentVariable("KOPPEL_CORPUS");
        if (configured is not null)
        {
            return configured;
        }

        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "shared", "corpus");
            if (Directory.Exists(Path.Combine(candidate, "ubl")))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("shared/corpus not found; set KOPPEL_CORPUS");
    }

    public static IEnumerable<string> CorpusFiles() =>
        Directory.EnumerateFiles(Path.Combine(CorpusRoot(), "ubl"), "*.xml").Order(StringComparer.Ordinal);

    public static string XsdFolder() => Path.Combine(CorpusRoot(), "rules", "ubl-2.1-xsd");
}
