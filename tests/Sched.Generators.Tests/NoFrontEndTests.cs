using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using Xunit.Abstractions;

namespace Sched.Generators.Tests;

/// <summary>
/// Generated classes carry what the build computed: constructing and evaluating every catalogue class needs the runtime
/// alone. They are loaded into a context of their own that refuses the front end (Sched.Language, Sprache), so any use
/// of it would fail here.
/// </summary>
public sealed class NoFrontEndTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_catalogue_class_constructs_and_evaluates_without_the_front_end()
    {
        string folder = Path.GetDirectoryName(typeof(Sched.Samples.FastaiOneCycle).Assembly.Location)!;
        var context = new RuntimeOnlyContext(folder);
        try
        {
            var catalogue = context.LoadFromAssemblyPath(Path.Combine(folder, "Schedules.dll"));
            var types = catalogue.GetTypes().Where(t => t.IsClass && t.GetInterfaces().Any(i => i.FullName == "Sched.ISchedule")).ToList();
            Assert.True(types.Count >= 12, $"expected the catalogue's classes, found {types.Count}");
            foreach (var type in types)
            {
                var constructor = type.GetConstructors().Single();
                var arguments = constructor.GetParameters().Select(p => p.Name == "stepsPerEpoch" ? 10 : Type.Missing).ToArray();
                var watch = Stopwatch.StartNew();
                object schedule = constructor.Invoke(BindingFlags.OptionalParamBinding, null, arguments, null);
                double firstMicroseconds = watch.Elapsed.TotalMicroseconds;
                watch.Restart();
                constructor.Invoke(BindingFlags.OptionalParamBinding, null, arguments, null);
                double secondMicroseconds = watch.Elapsed.TotalMicroseconds;
                double value = (double)type.GetMethod("Evaluate")!.Invoke(schedule, new object[] { 0, 3.0 })!;
                Assert.True(double.IsFinite(value), $"{type.Name} at step 3: {value}");
                output.WriteLine($"{type.Name}: first construction {firstMicroseconds:F0} µs (JIT included), second {secondMicroseconds:F1} µs");
            }
            Assert.Empty(context.Refused);
            Assert.DoesNotContain(context.Assemblies, a => a.GetName().Name is "Sched.Language" or "Sprache");
        }
        finally
        {
            context.Unload();
        }
    }

    /// <summary>Resolves the runtime (and the framework) only; the front end is refused and recorded.</summary>
    private sealed class RuntimeOnlyContext(string folder) : AssemblyLoadContext(isCollectible: true)
    {
        public List<string> Refused { get; } = new();

        protected override Assembly? Load(AssemblyName name)
        {
            if (name.Name == "Sched") return LoadFromAssemblyPath(Path.Combine(folder, "Sched.dll"));
            if (name.Name is "Sched.Language" or "Sprache")
            {
                Refused.Add(name.Name);
                throw new FileNotFoundException($"generated code asked for {name.Name}, the front end");
            }
            return null;
        }
    }
}
