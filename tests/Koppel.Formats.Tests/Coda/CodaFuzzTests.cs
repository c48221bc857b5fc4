using System.Diagnostics;
using System.Text;
using Koppel.Formats.Coda;
using Koppel.Formats.Findings;

namespace Koppel.Formats.Tests.Coda;

/// <summary>
/// Bounded, deterministic fuzzing: seeded mutations of the public files and of synthetic files.
/// The reader must either return (with findings) or throw DocumentReadException — never another
/// exception, never hang. A crash found here becomes a named test in CodaRecordOrderTests or CodaReaderTests.
/// </summary>
public sealed class CodaFuzzTests
{
    internal const int MutationsPerFile = 250;
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(15);

    private delegate byte[] Mutation(byte[] original, Random random);

    private static readonly (string Name, Mutation Apply)[] Mutations =
    [
        ("flip bytes", FlipBytes),
        ("truncate a line", TruncateLine),
        ("truncate the file", TruncateFile),
        ("swap two records", SwapLines),
        ("duplicate a record", DuplicateLine),
        ("delete a record", DeleteLine),
        ("digits and letters in fields", ScribbleField),
        ("mix CR and LF", MixLineEnds),
        ("insert a huge line", InsertHugeLine),
        ("change a record type", ChangeRecordType),
        ("insert non-ASCII bytes", InsertNonAscii),
    ];

    [Fact]
    public void Mutated_synthetic_files_never_crash_the_reader()
    {
        var seeds = new Dictionary<string, byte[]>
        {
            ["synthetic v2"] = Encoding.ASCII.GetBytes(new SyntheticCoda().Statement(10m, '1', 1m, -2m).Statement(0m, '2', 5m).Text()),
            ["synthetic v1"] = Encoding.ASCII.GetBytes(new SyntheticCoda(version: 1).Header().OldBalance(0m)
                .Movement(1, 5m, communication: "v1", counterpartyAccount: "001234567890", counterpartyName: "X", communicationPart2: "more")
                .Information(1, 1, "info", "continued").NewBalance().FreeMessage(1, 0, "hello").Trailer().Text("\r\n")),
            ["synthetic globalisation"] = Encoding.ASCII.GetBytes(new SyntheticCoda().Header().OldBalance(0m)
                .Movement(1, -100m, globalisation: 1, ogm: "123456789002").Movement(1, -60m, detail: 1).Movement(1, -40m, detail: 2, globalisation: 1)
                .NewBalance().Trailer().Text()),
        };

        AssertNoCrashes(seeds);
    }

    [CorpusFact]
    public void Mutated_public_files_never_crash_the_reader()
    {
        var seeds = Directory.GetFiles(Path.Combine(SharedCorpus.Root, "coda"))
            .Where(f => !f.EndsWith(".md", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllBytes);

        AssertNoCrashes(seeds);
    }

    private static void AssertNoCrashes(IReadOnlyDictionary<string, byte[]> seeds)
    {
        var crashes = new List<string>();
        var clock = Stopwatch.StartNew();
        var run = Task.Run(() =>
        {
            foreach (var (name, original) in seeds)
            {
                for (var i = 0; i < MutationsPerFile && clock.Elapsed < Budget; i++)
                {
                    // One stable seed per file and iteration (string.GetHashCode differs per process), so a crash replays.
                    var (mutationName, mutated) = Mutant(name, original, i);
                    if (ReadCrashes(mutated, async: i % 10 == 0) is { } crash)
                    {
                        crashes.Add($"{name} #{i} ({mutationName}): {crash}");
                    }
                }
            }
        });

        Assert.True(run.Wait(Budget * 2), "The reader hung on a mutated file.");
        Assert.Empty(crashes);
    }

    /// <summary>Mutant number <paramref name="iteration"/> of a file: the same bytes on every machine (the golden model tests replay them too).</summary>
    internal static (string Mutation, byte[] Content) Mutant(string name, byte[] original, int iteration)
    {
        // One stable seed per file and iteration (string.GetHashCode differs per process), so a crash replays.
        var random = new Random((StableHash(name) * 1000) + iteration);
        var (mutationName, mutation) = Mutations[random.Next(Mutations.Length)];
        return (mutationName, mutation(original, random));
    }

    private static int StableHash(string text) => text.Aggregate(17, (hash, c) => unchecked((hash * 31) + c)) & 0xFFFFF;

    private static string? ReadCrashes(byte[] content, bool async)
    {
        try
        {
            if (async)
            {
                CodaReader.ReadAsync(new MemoryStream(content)).GetAwaiter().GetResult();
            }
            else
            {
                CodaReader.Read(new MemoryStream(content));
            }

            return null;
        }
        catch (DocumentReadException)
        {
            return null;
        }
#pragma warning disable CA1031 // Any other exception is exactly what the fuzzer is looking for.
        catch (Exception e)
#pragma warning restore CA1031
        {
            return $"{e.GetType().Name}: {e.Message} {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";
        }
    }

    private static List<byte[]> SplitLines(byte[] content)
    {
        var lines = new List<byte[]>();
        var start = 0;
        for (var i = 0; i < content.Length; i++)
        {
            if (content[i] == (byte)'\n')
            {
                lines.Add(content[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < content.Length)
        {
            lines.Add(content[start..]);
        }

        return lines;
    }

    private static byte[] JoinLines(IEnumerable<byte[]> lines) => lines.SelectMany(l => l).ToArray();

    private static byte[] FlipBytes(byte[] original, Random random)
    {
        var copy = (byte[])original.Clone();
        for (var n = random.Next(1, 6); n > 0 && copy.Length > 0; n--)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    private static byte[] TruncateLine(byte[] original, Random random)
    {
        var lines = SplitLines(original);
        var index = random.Next(lines.Count);
        var line = lines[index];
        lines[index] = [.. line[..random.Next(line.Length)], (byte)'\n'];
        return JoinLines(lines);
    }

    private static byte[] TruncateFile(byte[] original, Random random) => original[..random.Next(original.Length)];

    private static byte[] SwapLines(byte[] original, Random random)
    {
        var lines = SplitLines(original);
        var (a, b) = (random.Next(lines.Count), random.Next(lines.Count));
        (lines[a], lines[b]) = (lines[b], lines[a]);
        return JoinLines(lines);
    }

    private static byte[] DuplicateLine(byte[] original, Random random)
    {
        var lines = SplitLines(original);
        var index = random.Next(lines.Count);
        lines.Insert(random.Next(lines.Count), lines[index]);
        return JoinLines(lines);
    }

    private static byte[] DeleteLine(byte[] original, Random random)
    {
        var lines = SplitLines(original);
        lines.RemoveAt(random.Next(lines.Count));
        return JoinLines(lines);
    }

    private static byte[] ScribbleField(byte[] original, Random random)
    {
        const string alphabet = "0123456789XA -/+9";
        var copy = (byte[])original.Clone();
        var start = random.Next(copy.Length);
        for (var i = start; i < Math.Min(copy.Length, start + random.Next(1, 16)); i++)
        {
            if (copy[i] is not ((byte)'\n' or (byte)'\r'))
            {
                copy[i] = (byte)alphabet[random.Next(alphabet.Length)];
            }
        }

        return copy;
    }

    private static byte[] MixLineEnds(byte[] original, Random random)
    {
        string[] ends = ["\n", "\r\n", "\r", "\n\n", "\r\r\n", string.Empty];
        var lines = SplitLines(original).Select(l => l.Where(b => b is not ((byte)'\n' or (byte)'\r')).ToArray());
        return JoinLines(lines.Select(l => l.Concat(Encoding.ASCII.GetBytes(ends[random.Next(ends.Length)])).ToArray()));
    }

    private static byte[] InsertHugeLine(byte[] original, Random random)
    {
        var lines = SplitLines(original);
        var huge = new byte[random.Next(200, 100_000)];
        Array.Fill(huge, (byte)random.Next('0', '9' + 1));
        huge[^1] = (byte)'\n';
        lines.Insert(random.Next(lines.Count + 1), huge);
        return JoinLines(lines);
    }

    private static byte[] ChangeRecordType(byte[] original, Random random)
    {
        var lines = SplitLines(original);
        var index = random.Next(lines.Count);
        var line = (byte[])lines[index].Clone();
        if (line.Length > 1)
        {
            line[random.Next(2)] = (byte)"0123456789 X"[random.Next(12)];
        }

        lines[index] = line;
        return JoinLines(lines);
    }

    private static byte[] InsertNonAscii(byte[] original, Random random)
    {
        byte[][] sequences = [[0xC3, 0xA0], [0xE0], [0xFF, 0xFE], [0xEF, 0xBB, 0xBF], [0xC3], [0xF0, 0x9F, 0x98, 0x80]];
        var at = random.Next(original.Length + 1);
        return [.. original[..at], .. sequences[random.Next(sequences.Length)], .. original[at..]];
    }
}
