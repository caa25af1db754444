using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

// `--smoke` runs every benchmark once, in process, to prove they work (CI-friendly); otherwise BenchmarkDotNet's own arguments apply.
var smoke = args.Contains("--smoke");
var config = smoke
    ? ManualConfig.CreateMinimumViable().AddJob(Job.Dry.WithToolchain(BenchmarkDotNet.Toolchains.InProcess.Emit.InProcessEmitToolchain.Instance))
    : DefaultConfig.Instance;
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Where(a => a != "--smoke").ToArray(), config);
