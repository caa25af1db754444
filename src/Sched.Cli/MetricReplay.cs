using System.Globalization;

namespace Sched.Cli;

/// <summary>
/// <c>--metrics FILE</c>: a training run's metrics, replayed as reports into the schedule's plateau phases
/// (docs/language.md §6) before it is evaluated, so eval and plot show the reductions that run would see.
/// The file is CSV, one report per row in the order of training, either long (<c>step,name,value</c>) or wide
/// (<c>step,val_loss[,...]</c>, an empty cell reporting nothing).
/// </summary>
internal static class MetricReplay
{
    public const string Option = "--metrics";

    public static void Apply(ISchedule schedule, string path)
    {
        string[] lines = Read(path);
        int headerIndex = Array.FindIndex(lines, l => l.Trim().Length > 0);
        if (headerIndex < 0) throw Error(path, 1, 1, "the file is empty; write a header 'step," + Example(schedule) + "', then one row per report");
        string[] header = lines[headerIndex].Split(',').Select(c => c.Trim()).ToArray();
        if (header[0] != "step" || header.Length < 2)
            throw Error(path, headerIndex + 1, 1, $"the header must be 'step,name,value', or 'step' and the metrics, e.g. 'step,{Example(schedule)}'");
        if (schedule.Metrics.Count == 0)
            throw Error(path, headerIndex + 1, 1, $"schedule '{schedule.Name}' watches no metric (it has no plateau phase), so there is nothing to replay; leave out {Option}");
        bool longForm = header.SequenceEqual(new[] { "step", "name", "value" });
        for (int c = 1; c < header.Length && !longForm; c++) RequireWatched(schedule, path, headerIndex + 1, Column(lines[headerIndex], c), header[c]);

        double previous = 0;
        for (int i = headerIndex + 1; i < lines.Length; i++)
        {
            if (lines[i].Trim().Length == 0) continue;
            string[] cells = lines[i].Split(',');
            if (cells.Length != header.Length)
                throw Error(path, i + 1, 1, longForm ? $"this row has {cells.Length} cells; write step,name,value" : $"this row has {cells.Length} cells and the header {header.Length}; leave a cell empty to report nothing");
            double step = Number(path, i + 1, Column(lines[i], 0), cells[0], "step");
            if (!(step >= 0) || double.IsInfinity(step))
                throw Error(path, i + 1, Column(lines[i], 0), $"the step must be a finite number of 0 or more, not '{cells[0].Trim()}'");
            if (step < previous)
                throw Error(path, i + 1, Column(lines[i], 0), $"step {cells[0].Trim()} comes after step {previous.ToString("R", CultureInfo.InvariantCulture)}; list the rows in the order of training");
            previous = step;
            if (longForm)
            {
                string metric = cells[1].Trim();
                RequireWatched(schedule, path, i + 1, Column(lines[i], 1), metric);
                schedule.Report(metric, Number(path, i + 1, Column(lines[i], 2), cells[2], metric), step);
                continue;
            }
            for (int c = 1; c < cells.Length; c++)
            {
                if (cells[c].Trim().Length == 0) continue;
                schedule.Report(header[c], Number(path, i + 1, Column(lines[i], c), cells[c], header[c]), step);
            }
        }
    }

    private static void RequireWatched(ISchedule schedule, string path, int line, int column, string metric)
    {
        if (!schedule.Metrics.Contains(metric))
            throw Error(path, line, column, $"schedule '{schedule.Name}' watches no metric '{metric}'; it watches {string.Join(", ", schedule.Metrics.Select(m => "'" + m + "'"))}");
    }

    private static string[] Read(string path)
    {
        try
        {
            if (Directory.Exists(path)) throw CliException.Io($"sched: {Option} '{path}' is a directory; give the metrics CSV file");
            return File.ReadAllText(path).Replace("\r\n", "\n").Split('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw CliException.Io($"sched: cannot read {Option} '{path}': {e.Message}");
        }
    }

    /// <summary>A number as the runtime's CSV writes them (invariant culture; NaN, Infinity and -Infinity included).</summary>
    private static double Number(string path, int line, int column, string cell, string what)
    {
        if (double.TryParse(cell.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double value)) return value;
        throw Error(path, line, column, $"'{cell.Trim()}' is not a number for {what}; write numbers such as 0.25 or 1e-3");
    }

    private static int Column(string line, int cell)
    {
        int at = 0;
        for (int c = 0; c < cell; c++) at = line.IndexOf(',', at) + 1;
        return at + 1;
    }

    private static string Example(ISchedule schedule) => schedule.Metrics.Count > 0 ? string.Join(",", schedule.Metrics) : "val_loss";

    private static CliException Error(string path, int line, int column, string message) =>
        CliException.Io($"{path}({line},{column}): error: {message}");
}
