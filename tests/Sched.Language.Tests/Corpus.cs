namespace Sched.Language.Tests;

/// <summary>
/// Valid files covering the whole language (docs/language.md's examples and one file per feature). Each must
/// analyse without any diagnostic; the fuzz tests mutate them.
/// </summary>
internal static class Corpus
{
    /// <summary>docs/language.md §2, verbatim.</summary>
    public const string DslSection2 = """
        // comments: // to end of line, /* block */
        namespace Training.Schedules;          // optional; default: the project's RootNamespace

        def tri(lo, hi, half) = lin(lo -> hi, half) + lin(hi -> lo, half)   // a user function

        /// Leslie Smith's 1cycle with cyclical momentum (fastai use_clr_beta, 95 epochs).
        schedule SmithOneCycle(peak = 0.8) over 95ep {
            lr       = lin(peak/10 -> peak, 41ep) + lin(peak -> peak/10, 41ep) + lin(peak/10 -> peak/1000, rest)
            momentum = lin(0.95 -> 0.85, 41ep) + lin(0.85 -> 0.95, 41ep) + const(0.95, rest)
        }
        """;

    public static readonly IReadOnlyList<(string Name, string Text)> Files = new (string, string)[]
    {
        ("dsl-section-2", DslSection2),
        ("all-segments", """
            schedule Segments over 60ep {
                lr = lin(0 -> 0.1, 10ep) + cos(0.1 -> 0.05, 10ep) + exp(0.05 -> 0.01, 10ep)
                   + poly(0.01 -> 0.005, 10ep, power = 2) + const(0.005, 10ep) + fn(0.005 * (1 - p) + 1e-4, rest)
            }
            """),
        ("tracks-and-separators", """
            schedule AdamW(peak = 3e-4, warm = 500it) over 10000it {
                lr = lin(0 -> peak, warm) + cos(peak -> peak / 100)
                mom = 0.9; beta2 = 0.999; wd = 1e-2
                dropout = lin(0.1 -> 0, 50%) + const(0, rest)
            }
            """),
        ("durations", """
            schedule Durations(warm = 2ep, pct = 0.3) over 95ep {
                lr = lin(0.01 -> 0.1, 2*warm) + lin(0.1 -> 0.05, warm + 10it) + lin(0.05 -> 0.02, 0.3*50it - 1it)
                   + lin(0.02 -> 0.01, warm/2) + lin(0.01 -> 0.005, pct*100%) + cos(0.005 -> 0, rest)
            }
            """),
        ("repeat-count", """
            schedule Restarts over 30ep {
                lr = repeat(3) { cos(0.1 -> 1e-3, 10ep) }
            }
            """),
        ("repeat-mult-sgdr", """
            schedule Sgdr over 70ep {
                lr = repeat(3, mult = 2) { cos(0.1 -> 0, 10ep) }
            }
            """),
        ("repeat-fills-rest", """
            schedule FillRest over 100ep {
                lr = lin(0 -> 0.1, 5ep) + repeat(mult = 2) { cos(0.1 -> 1e-4, 5ep) }
            }
            """),
        ("repeat-every-cycle", """
            schedule Every over 100ep {
                lr = repeat(10, every = 10ep) { cos(0.1 * 0.5^cycle -> 0, 8ep) }
            }
            """),
        ("repeat-percent-only", """
            schedule TenCycles over 200ep {
                lr = repeat(10) { lin(0 -> 1e-3, 50%) + lin(1e-3 -> 0, 50%) }
            }
            """),
        ("by-epoch", """
            schedule StepLr over 90ep {
                lr = (const(0.1, 30ep) + const(0.01, 30ep) + const(0.001, rest)) by epoch
                wd = lin(1e-4 -> 1e-5, 45ep) by 10it + const(1e-5, rest)
            }
            """),
        ("modulation", """
            schedule Modulated over 1000it {
                lr = cos(0.1 -> 0.01) * (1 + 0.5 * sin(2 * pi * p))
                mom = const(0.9, 500it) * (1 - 0.1 * t) + const(0.85, rest)
            }
            """),
        ("fn-variables", """
            schedule InverseSqrt(warm = 4000it) over 100000it {
                lr = lin(0 -> 1e-3, warm) + fn(1e-3 * sqrt(4000 / max(step, 4000)), rest)
                ema = fn(min(0.999, (1 + epoch) / (10 + epoch)), rest)
            }
            """),
        ("defs-named-args", """
            def warmup_cos(peak, warm = 5ep, final = 0) = lin(0 -> peak, warm) + cos(peak -> final)
            def tri(lo, hi, half) = lin(lo -> hi, half) + lin(hi -> lo, half)
            def half(x) = x / 2

            schedule WarmupCos over 50ep {
                lr = warmup_cos(0.1, final = 1e-5)
            }

            schedule Triangle over 40it {
                lr = repeat(2) { tri(1e-4, half(0.01), 10it) }
            }
            """),
        ("math-functions", """
            schedule Mathy(a = 2, b = -1) over 10it {
                lr = const(abs(b) * 0.1 + exp(-2) * log(e) - floor(0.7) + tanh(0) + cos(0) * 1e-3 + sin(pi) ^ 2, 5it) + cos(0.1 -> 0)
                x = -2^2 + 2^3^2 + 2^-1 + max(1, 2, 3) + min(a, b) + sqrt(16)
            }
            """),
        ("doc-comments-and-comments", """
            /* a block
               comment */
            /// First line of the docs.
            /// Second line.
            schedule Documented over 10it { // trailing comment
                lr = cos(0.1 -> 0) /* inline */ ; wd = 0
            }

            /// Another schedule.
            schedule NoOver {
                lr = lin(0 -> 0.1, 5it) + const(0.1, 5it)
            }
            """),
        ("nested-repeats-and-cycle", """
            schedule Nested over 120ep {
                lr = repeat(2, every = 60ep) { repeat(3) { cos(0.1 / (1 + cycle) -> 0, 10ep) } + const(1e-4, rest) }
            }
            """),
        ("poly-positional-power", """
            schedule Poly over 100it {
                lr = poly(0.1 -> 0, 100it, 0.9)
                beta2 = poly(0.99 -> 0.999, rest)
            }
            """),
        ("lists-ratios-and-from", """
            def drops(lr, milestones = [3, 6], gamma = 0.5) = fn(lr * gamma^bisect(milestones, epoch), rest) by epoch
            schedule Parts(warm = 2ep) over 12ep {
                lr = lin(1e-3 -> 0.1, warm) + repeat(mult = 2) { cos(0.1 -> 1e-3, 2ep) } from 1ep
                momentum = const(0.9 - 0.05 * min(1, warm / 4ep), 6ep) + const(0.9)
                wd = drops(1e-4, [2, 4, 4, 8])
                dropout = repeat(100% / 25%) { lin(0.1 -> 0, 25%) }
            }
            """),
    };
}
