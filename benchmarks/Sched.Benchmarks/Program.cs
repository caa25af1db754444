using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

// In process: out of process, the runner BenchmarkDotNet builds lists no Sched in its deps.json and cannot load it (likely
// cause: every project shares one output folder there, and the generator marks its copy of Sched.dll as no run-time
// dependency, for analyzer use). Run each class or method on its own
// (--filter) when comparing: in one process, Dynamic PGO shares what it learns at ISchedule call sites across benchmarks.
// `--smoke` runs every benchmark once, to prove they work (CI-friendly); otherwise BenchmarkDotNet's own arguments apply.
var smoke = args.Contains("--smoke");
var config = smoke
    ? ManualConfig.CreateMinimumViable().AddJob(Job.Dry.WithToolchain(InProcessEmitToolchain.Instance))
    : DefaultConfig.Instance.AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).AsDefault());
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args.Where(a => a != "--smoke").ToArray(), config);
