namespace IommuContracts.Cli;

/// <summary>
/// Progress lines on stderr ("compiling 120 files", "running 12 analyzers"), shown only when stderr is a terminal
/// or with --verbose, so stdout stays clean for SARIF and markdown. Details appear with --verbose only.
/// </summary>
internal sealed class Progress(TextWriter stderr, bool showProgress, bool showDetails)
{
    public static Progress Silent { get; } = new(TextWriter.Null, false, false);

    public void Report(string message)
    {
        if (showProgress || showDetails)
        {
            stderr.WriteLine($"iommufd-check: {message}…");
        }
    }

    public void Detail(string message)
    {
        if (showDetails)
        {
            stderr.WriteLine($"iommufd-check:   {message}");
        }
    }
}
