if (args is ["--write-coda", var path, ..])
{
    // The file `koppel inspect` is timed on (README "Measured"): generated, never committed.
    var movements = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
    Koppel.Benchmarks.CodaBenchmarkFile.Write(path, movements);
    Console.WriteLine($"{path}: {new FileInfo(path).Length:N0} bytes, {movements:N0} movements");
    return;
}

if (args is ["--ratios", ..])
{
    Koppel.Benchmarks.Ratios.Run(args[1..]);
    return;
}

if (args is ["--memory", ..])
{
    Koppel.Benchmarks.UblMemoryProbe.Run(args[1..]);
    return;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
