using BenchmarkDotNet.Attributes;
using Koppel.Formats.Coda;

namespace Koppel.Benchmarks;

/// <summary>
/// CODA read throughput on a generated file of 100,000 movements (2.1 + 2.2 + 2.3 + 3.1 each).
/// MB/s = file size / mean time; the file size is printed at setup.
/// </summary>
[MemoryDiagnoser]
public class CodaBenchmarks
{
    private string _path = string.Empty;

    [Params(100_000)]
    public int Movements { get; set; }

    [GlobalSetup]
    public void WriteFile()
    {
        _path = Path.Combine(Path.GetTempPath(), $"koppel-coda-bench-{Movements}-{Environment.ProcessId}.cod");
        CodaBenchmarkFile.Write(_path, Movements);
        Console.WriteLine($"// CODA benchmark file: {new FileInfo(_path).Length:N0} bytes, {Movements:N0} movements");
    }

    [GlobalCleanup]
    public void DeleteFile() => File.Delete(_path);

    [Benchmark]
    public int ReadWholeFile()
    {
        using var stream = File.OpenRead(_path);
        return CodaReader.Read(stream).Statements[0].Movements.Count;
    }

    [Benchmark]
    public async Task<int> ReadStatementsAsync()
    {
        await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, useAsync: true);
        var count = 0;
        await foreach (var statement in CodaReader.ReadStatementsAsync(stream))
        {
            count += statement.Movements.Count;
        }

        return count;
    }
}
