namespace Sched.Samples.FashionMnist;

/// <summary>A failure to report in one line, without a stack trace: bad input, a damaged file, a run that cannot go on.</summary>
public class TrainingException(string message) : Exception(message);
