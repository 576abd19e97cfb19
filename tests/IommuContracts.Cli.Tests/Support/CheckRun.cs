namespace IommuContracts.Cli.Tests.Support;

/// <summary>What one run of iommufd-check returned and printed.</summary>
public sealed record CheckRun(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}
