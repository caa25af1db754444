namespace Sched.Generators.Tests;

/// <summary>One small <c>.sched</c> file per diagnostic ID that the build can report (docs/language.md §9).</summary>
internal static class DiagnosticExamples
{
    /// <summary>
    /// Not reported for a .sched file alone: at run time (a missing steps-per-epoch, a bad override, an internal error), or
    /// about the project: SCHED036 against its own C# (HostileInputTests), SCHED100 its C# version (LanguageVersionTests).
    /// </summary>
    public static readonly IReadOnlySet<string> RunTimeOnly = new HashSet<string> { "SCHED031", "SCHED032", "SCHED036", "SCHED099", "SCHED100" };

    public static readonly IReadOnlyDictionary<string, string> ById = new Dictionary<string, string>
    {
        ["SCHED001"] = """
            schedule Broken over 10ep {
                lr = lin(0.1 -> 0.01, 5ep
            }
            """,
        ["SCHED002"] = """
            schedule Typo(peak = 0.1) over 10ep {
                lr = cos(paek -> 0.001)
            }
            """,
        ["SCHED003"] = """
            schedule Misspelt over 10ep {
                lr = cos(0.1 -> 0.001)
                momentun = 0.9
            }
            """,
        ["SCHED004"] = """
            schedule NoUnit over 10ep {
                lr = lin(0.1 -> 0.01, 10)
            }
            """,
        ["SCHED005"] = """
            schedule TwoRests over 10ep {
                lr = lin(0.01 -> 0.1, rest) + cos(0.1 -> 0.001, rest)
            }
            """,
        ["SCHED006"] = """
            schedule NoTotal {
                lr = lin(0.01 -> 0.1, 5ep) + cos(0.1 -> 0.001, rest)
            }
            """,
        ["SCHED007"] = """
            schedule TooLong over 10ep {
                lr = lin(0.01 -> 0.1, 4ep) + cos(0.1 -> 0.001, 8ep)
            }
            """,
        ["SCHED008"] = """
            schedule TooMuch over 10ep {
                lr = cos(0.1 -> 0.001, 150%)
            }
            """,
        ["SCHED009"] = """
            schedule ExpToZero over 10ep {
                lr = exp(0.1 -> 0, rest)
            }
            """,
        ["SCHED010"] = """
            schedule DivideByZero over 10ep {
                lr = const(1/0, rest)
            }
            """,
        ["SCHED011"] = """
            schedule Negative over 10ep {
                lr = lin(0.1 -> -0.1, rest)
            }
            """,
        ["SCHED012"] = """
            schedule ZeroInside over 10ep {
                lr = cos(0.1 -> 0.001, 4ep) + const(0, 2ep) + cos(0.1 -> 0.001, rest)
            }
            """,
        ["SCHED013"] = """
            schedule MomentumTooHigh over 10ep {
                lr = cos(0.1 -> 0.001)
                momentum = lin(0.9 -> 1.2, rest)
            }
            """,
        ["SCHED014"] = """
            schedule Short over 10ep {
                lr = cos(0.1 -> 0.001, 6ep)
            }
            """,
        ["SCHED015"] = """
            schedule Twice over 10ep {
                lr = cos(0.1 -> 0.001)
            }

            schedule Twice over 20ep {
                lr = cos(0.1 -> 0.001)
            }
            """,
        ["SCHED016"] = """
            schedule class over 10ep {
                lr = cos(0.1 -> 0.001)
            }
            """,
        ["SCHED017"] = """
            schedule Reserved(step = 0.1) over 10ep {
                lr = cos(0.1 -> 0.001)
            }
            """,
        ["SCHED018"] = """
            schedule Backwards over 10ep {
                lr = lin(0.01 -> 0.1, 2ep - 3ep) + cos(0.1 -> 0.001, rest)
            }
            """,
        ["SCHED019"] = """
            schedule NoLr over 10ep {
                momentum = 0.9
            }
            """,
        ["SCHED020"] = """
            schedule Minus over 10ep {
                lr = lin(0.01 -> 0.1, 5ep) - cos(0.1 -> 0.001, rest)
            }
            """,
        ["SCHED021"] = """
            schedule Progress over 10ep {
                lr = lin(0.1 * p -> 0.01, rest)
            }
            """,
        ["SCHED022"] = """
            schedule Cycle over 10ep {
                lr = cos(0.1 * 0.5^cycle -> 0.001, rest)
            }
            """,
        ["SCHED023"] = """
            schedule Arguments over 10ep {
                lr = lin(0.1 -> 0.01, 5ep, 2ep) + const(0.01, rest)
            }
            """,
        ["SCHED024"] = """
            schedule LongBody over 10ep {
                lr = repeat(2, every = 2ep) { cos(0.1 -> 0.001, 3ep) } + const(0.001, rest)
            }
            """,
        ["SCHED025"] = """
            schedule Mixed over 10ep {
                lr = repeat(2) { lin(0.01 -> 0.1, 10%) + cos(0.1 -> 0.001, 2ep) } + const(0.001, rest)
            }
            """,
        ["SCHED026"] = """
            schedule RestInRepeat over 10ep {
                lr = repeat(2) { cos(0.1 -> 0.001, rest) }
            }
            """,
        ["SCHED027"] = """
            schedule Uncounted over 10ep {
                lr = repeat { cos(0.1 -> 0.001, 50%) }
            }
            """,
        ["SCHED028"] = """
            def down(lr) = cos(lr -> lr / 10, 2ep) + down(lr / 10)

            schedule Recursive over 10ep {
                lr = down(0.1)
            }
            """,
        ["SCHED029"] = """
            schedule ZeroCycles over 10ep {
                lr = repeat(0) { cos(0.1 -> 0.001, 2ep) } + const(0.001, rest)
            }
            """,
        ["SCHED033"] = """
            def d0(v) = const(v, 1it)
            def d1(v) = d0(v) + d0(v)
            def d2(v) = d1(v) + d1(v)
            def d3(v) = d2(v) + d2(v)
            def d4(v) = d3(v) + d3(v)
            def d5(v) = d4(v) + d4(v)
            def d6(v) = d5(v) + d5(v)
            def d7(v) = d6(v) + d6(v)
            def d8(v) = d7(v) + d7(v)
            def d9(v) = d8(v) + d8(v)
            def d10(v) = d9(v) + d9(v)
            def d11(v) = d10(v) + d10(v)
            def d12(v) = d11(v) + d11(v)
            def d13(v) = d12(v) + d12(v)

            schedule Bomb {
                lr = d13(0.1)
            }
            """,
        ["SCHED034"] = """
            schedule Skip over 10ep {
                lr = cos(0.1 -> 0.01, 3ep) from 4ep + const(0.01)
            }
            """,
        // A comment longer than the build compiles: refused before it is parsed.
        ["SCHED035"] = "// " + new string('x', 2_000_000) + "\nschedule Huge over 10ep {\n    lr = cos(0.1 -> 0)\n}\n",
        ["SCHED030"] = "schedule Deep over 10ep {\n    lr = const(" + new string('(', 70) + "0.1" + new string(')', 70) + ", rest)\n}\n",
    };
}
