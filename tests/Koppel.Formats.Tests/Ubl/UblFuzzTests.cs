using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Koppel.Formats.Findings;
using Koppel.Formats.Ubl;
using Koppel.Formats.Validation;
using Xunit.Abstractions;

namespace Koppel.Formats.Tests.Ubl;

/// <summary>
/// Bounded, deterministic fuzzing: mutated corpus files and a generated invoice must either be read
/// and validated, or be refused with a DocumentReadException. Any other exception, or a hang, is a bug.
/// </summary>
public sealed partial class UblFuzzTests(ITestOutputHelper output)
{
    private const ulong Seed = 20260322;
    private const int InputCount = 300;
    // A hang detector, not a speed test: a loop that never ends is caught, a busy machine is not a failure
    // (speed is measured by the benchmarks).
    private static readonly TimeSpan PerInputBudget = TimeSpan.FromSeconds(30);

    private static readonly string[] HostileNumbers =
    [
        "99999999999999999999999999999", "-79228162514264337593543950335", "79228162514264337593543950335", "0.0000000000000000000000000001",
        "1e5", "NaN", "", "-0", "+12.50", "12,50", " 7 ", "123456789012345678.123456789", "0.005", "-1.999",
    ];

    [Fact]
    public void Mutated_invoices_are_either_read_or_refused_with_a_document_read_exception()
    {
        var seeds = SeedDocuments();
        var random = new SplitMix64(Seed);
        var failures = new List<string>();
        var outcomes = new Dictionary<string, int>(StringComparer.Ordinal);
        var total = Stopwatch.StartNew();

        for (var i = 0; i < InputCount; i++)
        {
            var (name, original) = random.Pick(seeds);
            var (mutation, bytes) = Mutate(original, random);
            var outcome = Run(bytes, out var failure);
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (failure is not null)
            {
                failures.Add($"case {i} ({name}, {mutation}): {failure}");
            }
        }

        output.WriteLine($"{InputCount} inputs in {total.ElapsedMilliseconds} ms: {string.Join(", ", outcomes.Select(o => $"{o.Key}={o.Value}"))}");
        Assert.True(failures.Count == 0, string.Join("\n", failures.Take(10)));
    }

    private static string Run(byte[] bytes, out string? failure)
    {
        failure = null;
        using var cts = new CancellationTokenSource(PerInputBudget);
        var options = new UblValidationOptions
        {
            XsdFolder = Corpus.RootOrNull is null ? null : Corpus.XsdFolder,
            ApplyPeppolRulesToOtherProfiles = true,
        };
        try
        {
            var report = UblValidator.Validate(new MemoryStream(bytes, writable: false), options, cts.Token);
            _ = UblBeRules.Validate(report.Document!);
            return report.IsAccepted ? "accepted" : "rejected";
        }
        catch (DocumentReadException ex)
        {
            return ex.Rule;
        }
        catch (OperationCanceledException)
        {
            failure = $"no result within {PerInputBudget.TotalSeconds} s (hang?)";
            return "timeout";
        }
#pragma warning disable CA1031 // The point of the fuzzer is to catch every other exception and report it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            failure = ex.ToString();
            return "crash";
        }
    }

    private static List<(string Name, string Xml)> SeedDocuments()
    {
        var seeds = new List<(string, string)> { ("generated", SampleInvoice.Xml()) };
        if (Corpus.RootOrNull is not null)
        {
            // Files under 300 kB keep the run short; the 3.3 MB Italian file adds time, not new paths.
            seeds.AddRange(Corpus.TopLevelUblFiles()
                .Where(f => new FileInfo(f).Length < 300_000)
                .Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
        }

        return seeds;
    }

    private static (string Mutation, byte[] Bytes) Mutate(string xml, SplitMix64 random)
    {
        switch (random.Next(6))
        {
            case 0:
                var bytes = Encoding.UTF8.GetBytes(xml);
                var flips = 1 + random.Next(8);
                for (var i = 0; i < flips; i++)
                {
                    bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
                }

                return ($"{flips} byte flips", bytes);
            case 1:
                var cut = random.Next(xml.Length);
                return ($"truncated at {cut}", Encoding.UTF8.GetBytes(xml[..cut]));
            case 2:
                return ElementEdit(xml, random, duplicate: true);
            case 3:
                return ElementEdit(xml, random, duplicate: false);
            case 4:
                var amounts = AmountContent().Matches(xml);
                if (amounts.Count == 0)
                {
                    goto case 1;
                }

                var target = amounts[random.Next(amounts.Count)].Groups["value"];
                var number = random.Pick(HostileNumbers);
                return ($"amount at {target.Index} := '{number}'", Encoding.UTF8.GetBytes(string.Concat(xml.AsSpan(0, target.Index), number, xml.AsSpan(target.Index + target.Length))));
            default:
                var digits = random.Next(1_000_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var numbers = AmountContent().Matches(xml);
                if (numbers.Count == 0)
                {
                    goto case 1;
                }

                var at = numbers[random.Next(numbers.Count)].Groups["value"];
                var value = $"{digits[..^Math.Min(2, digits.Length - 1)]}.{digits[^Math.Min(2, digits.Length - 1)..]}";
                return ($"random amount {value}", Encoding.UTF8.GetBytes(string.Concat(xml.AsSpan(0, at.Index), value, xml.AsSpan(at.Index + at.Length))));
        }
    }

    /// <summary>Duplicates or removes one cac: aggregate or cbc: field, chosen at random (text-level, so it may well break nesting).</summary>
    private static (string, byte[]) ElementEdit(string xml, SplitMix64 random, bool duplicate)
    {
        var prefix = random.Next(2) == 0 ? "cac" : "cbc";
        var starts = (prefix == "cac" ? AggregateStart() : FieldStart()).Matches(xml);
        if (starts.Count == 0)
        {
            return ("unchanged", Encoding.UTF8.GetBytes(xml));
        }

        var start = starts[random.Next(starts.Count)];
        var endTag = $"</{prefix}:{start.Groups["name"].Value}>";
        var end = xml.IndexOf(endTag, start.Index, StringComparison.Ordinal);
        if (end < 0)
        {
            return ("unchanged", Encoding.UTF8.GetBytes(xml));
        }

        var element = xml[start.Index..(end + endTag.Length)];
        var edited = duplicate
            ? xml.Insert(end + endTag.Length, element)
            : xml.Remove(start.Index, element.Length);
        return ($"{(duplicate ? "duplicated" : "removed")} {prefix}:{start.Groups["name"].Value} at {start.Index}", Encoding.UTF8.GetBytes(edited));
    }

    [GeneratedRegex(@"Amount[^>]*>(?<value>[^<]*)</")]
    private static partial Regex AmountContent();

    [GeneratedRegex(@"<cac:(?<name>[A-Za-z]+)>")]
    private static partial Regex AggregateStart();

    [GeneratedRegex(@"<cbc:(?<name>[A-Za-z]+)[ >]")]
    private static partial Regex FieldStart();
}
