namespace IommuContracts.Cli.Inputs;

/// <summary>The input cannot be checked; carries the exit code that says why (usage vs does-not-compile).</summary>
internal sealed class InputLoadException : Exception
{
    public InputLoadException(int exitCode, string message)
        : base(message)
    {
        ExitCode = exitCode;
    }

    public InputLoadException()
    {
    }

    public InputLoadException(string message)
        : base(message)
    {
    }

    public InputLoadException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public int ExitCode { get; } = ExitCodes.UsageError;
}
