using System.Diagnostics;
using Koppel.Formats.Ubl;

namespace Koppel.Benchmarks;

/// <summary>
/// "--memory": reads the 10,000-line invoice with a 2 MB and then a 20 MB embedded PDF once each and
/// prints allocated bytes and peak working set, to show memory does not grow with the attachment.
/// "--memory 20" reads only the 20 MB variant, so its peak working set can be compared across processes.
/// </summary>
public static class UblMemoryProbe
{
    public static void Run(string[] sizesInMegabytes)
    {
        var sizes = sizesInMegabytes.Length == 0 ? [2, 20] : sizesInMegabytes.Select(s => int.Parse(s, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        var files = sizes.Select(mb => ($"{mb} MB", UblLargeInvoice.WriteTempFile(10_000, mb * 1024L * 1024))).ToArray();
        var small = files[0].Item2;

        // Warm up JIT and the reader so the first measurement does not carry one-off costs.
        ReadOnce(small);
        Console.WriteLine("attachment | file bytes | allocated bytes | peak working set after");
        foreach (var (label, path) in files)
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
