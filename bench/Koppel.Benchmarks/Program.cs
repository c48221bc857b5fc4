if (args is ["--memory", ..])
{
    Koppel.Benchmarks.UblMemoryProbe.Run();
    return;
}

BenchmarkDotNet.Running.BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
