if (args is ["--memory", ..])
{
    Koppel.Benchmarks.UblMemoryProbe.Run(args[1..]);
    return;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
