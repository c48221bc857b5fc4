using System.Diagnostics;
using System.Globalization;
using System.Text;
using Koppel.Formats.Coda;
using Koppel.Formats.Validation;

namespace Koppel.Benchmarks;

/// <summary>
/// "--ratios [koppel-binary]": the figures issue 10 asks for, in one run. Each reader is timed against its bare pass
/// over the same bytes, alternating the two so machine load hits both alike; the median of each is compared.
/// With a koppel binary, the whole process is timed on the CODA file (wall time and max RSS, via /usr/bin/time).
/// </summary>
public static class Ratios
{
    private const int Rounds = 7;

    public static void Run(string[] args)
    {
        var directory = Directory.CreateTempSubdirectory("koppel-ratios-");
        try
        {
            var coda = Path.Combine(directory.FullName, "coda-100000.cod");
            CodaBenchmarkFile.Write(coda, 100_000);
            var codaBytes = new FileInfo(coda).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"CODA file: {codaBytes:N0} bytes, 100,000 movements; median of {Rounds} alternating rounds"));

            Compare("CODA read, movements streamed", codaBytes, () => StreamCoda(coda), "StreamReader.ReadLine pass", () => BareLines(coda));
            Compare("CODA read, whole model kept", codaBytes, () => ReadCoda(coda), "StreamReader.ReadLine pass", () => BareLines(coda));
            Compare("CODA read, movements streamed", codaBytes, () => StreamCoda(coda), "byte line-split pass", () => BareLineBytes(coda));

            var corpus = UblBenchmarkFiles.CorpusFiles().Select(File.ReadAllBytes).ToList();
            var corpusBytes = corpus.Sum(c => c.LongLength);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"UBL corpus: {corpus.Count} documents, {corpusBytes:N0} bytes"));
            Compare("UBL corpus read + rules", corpusBytes, () => ValidateAll(corpus), "bare XmlReader pass", () => BareAll(corpus));

            var large = UblLargeInvoice.WriteTempFile(lineCount: 10_000, attachmentBytes: 20L * 1024 * 1024);
            var largeBytes = new FileInfo(large).Length;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"UBL large: 10,000 lines + 20 MiB PDF, {largeBytes:N0} bytes"));
            Compare("UBL large read + rules", largeBytes, () => ValidateFile(large), "bare XmlReader pass", () => BareFile(large));

            if (args.Length > 0)
            {
                WholeProcess(args[0], coda, string.Empty);
                WholeProcess(args[0], coda, "--json");
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static void Compare(string name, long bytes, Func<long> reader, string bareName, Func<long> bare)
    {
        // One warm-up each, then alternate.
        reader();
        bare();
        var readerTimes = new List<double>();
        var bareTimes = new List<double>();
        for (var i = 0; i < Rounds; i++)
        {
            bareTimes.Add(Time(bare));
            readerTimes.Add(Time(reader));
        }

        var r = Median(readerTimes);
        var b = Median(bareTimes);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {name}: {r:F0} ms = {bytes / r / 1000:F0} MB/s | {bareName}: {b:F0} ms = {bytes / b / 1000:F0} MB/s | ratio {b / r * 100:F0} % of the bare pass"));
    }

    private static double Time(Func<long> action)
    {
        GC.Collect();
        var watch = Stopwatch.StartNew();
        action();
        return watch.Elapsed.TotalMilliseconds;
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }

    private static long ReadCoda(string path)
    {
        using var stream = File.OpenRead(path);
        long movements = 0;
        foreach (var statement in CodaReader.ReadStatements(stream))
        {
            movements += statement.Movements.Count;
        }

        return movements;
    }

    private static long StreamCoda(string path)
    {
        using var stream = File.OpenRead(path);
        long movements = 0;
        foreach (var statement in CodaReader.ReadStatements(stream, _ => movements++))
        {
            movements += statement.Movements.Count;
        }

        return movements;
    }

    /// <summary>The bare line-reading pass: every line decoded to a string, nothing parsed.</summary>
    internal static long BareLines(string path)
    {
        using var reader = new StreamReader(path, Encoding.Latin1, detectEncodingFromByteOrderMarks: false, new FileStreamOptions { BufferSize = 64 * 1024 });
        long characters = 0;
        while (reader.ReadLine() is { } line)
        {
            characters += line.Length;
        }

        return characters;
    }

    /// <summary>The floor under any reader: 64 KB reads, line ends found with a vectorised search, no decoding.</summary>
    internal static long BareLineBytes(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1);
        var buffer = new byte[64 * 1024];
        long lines = 0;
        int n;
        while ((n = stream.Read(buffer)) > 0)
        {
            var span = buffer.AsSpan(0, n);
            int end;
            while ((end = span.IndexOfAny((byte)'\r', (byte)'\n')) >= 0)
            {
                lines++;
                span = span[(end + 1)..];
            }
        }

        return lines;
    }

    private static long ValidateAll(List<byte[]> corpus)
    {
        long findings = 0;
        foreach (var bytes in corpus)
        {
            findings += UblValidator.Validate(new MemoryStream(bytes, writable: false)).Findings.Count();
        }

        return findings;
    }

    private static long BareAll(List<byte[]> corpus)
    {
        long nodes = 0;
        foreach (var bytes in corpus)
        {
            nodes += UblBenchmarks.BareRead(new MemoryStream(bytes, writable: false));
        }

        return nodes;
    }

    private static long ValidateFile(string path)
    {
        using var file = File.OpenRead(path);
        return UblValidator.Validate(file).Findings.Count();
    }

    private static long BareFile(string path)
    {
        using var file = File.OpenRead(path);
        return UblBenchmarks.BareRead(file);
    }

    private static void WholeProcess(string koppel, string file, string option)
    {
        var walls = new List<double>();
        var rss = new List<double>();
        for (var i = 0; i < 3; i++)
        {
            var start = new ProcessStartInfo("/usr/bin/time")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            foreach (var arg in (string[])["-f", "%e %M", koppel, "inspect", file])
            {
                start.ArgumentList.Add(arg);
            }

            if (option.Length > 0)
            {
                start.ArgumentList.Add(option);
            }

            using var process = Process.Start(start)!;
            process.StandardOutput.BaseStream.CopyTo(Stream.Null);
            var error = process.StandardError.ReadToEnd();
            process.WaitForExit();
            var figures = error.Trim().Split('\n')[^1].Split(' ');
            walls.Add(double.Parse(figures[0], CultureInfo.InvariantCulture));
            rss.Add(double.Parse(figures[1], CultureInfo.InvariantCulture) / 1024);
        }

        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  koppel inspect {option}: wall {Median(walls):F2} s (runs {string.Join(", ", walls.Select(w => w.ToString("F2", CultureInfo.InvariantCulture)))}), max RSS {rss.Max():F0} MB"));
    }
}
