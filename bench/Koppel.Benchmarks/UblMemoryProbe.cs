using System.Diagnostics;
using Koppel.Formats.Ubl;

namespace Koppel.Benchmarks;

/// <summary>
/// "--memory": reads the 10,000-line invoice with a 2 MB and then a 20 MB embedded PDF once each and
/// prints allocated bytes and peak working set, to show memory does not grow with the attachment.
/// </summary>
public static class UblMemoryProbe
{
    public static void Run()
    {
        var small = UblLargeInvoice.WriteTempFile(10_000, 2L * 1024 * 1024);
        var large = UblLargeInvoice.WriteTempFile(10_000, 20L * 1024 * 1024);

        // Warm up JIT and the reader so the first measurement does not carry one-off costs.
        ReadOnce(small);
        Console.WriteLine("attachment | file bytes | allocated bytes | peak working set after");
        foreach (var (label, path) in new[] { ("2 MB", small), ("20 MB", large) })
        {
            GC.Collect();
            var before = GC.GetTotalAllocatedBytes(precise: true);
            var attachment = ReadOnce(path);
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
            using var process = Process.GetCurrentProcess();
            process.Refresh();
            Console.WriteLine($"{label,10} | {new FileInfo(path).Length,10:N0} | {allocated,15:N0} | {process.PeakWorkingSet64,22:N0}  (decoded attachment {attachment:N0} bytes)");
        }
    }

    private static long ReadOnce(string path)
    {
        using var file = File.OpenRead(path);
        return UblReader.Read(file).Attachments.Single().DecodedSize;
    }
}
