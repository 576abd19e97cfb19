namespace IommuContracts.Cli.CommandLine;

/// <summary>What the command line asks for: a check, the help text, the version, or nothing valid.</summary>
internal sealed record ParsedCommandLine(CheckOptions? Options, string? Error, bool ShowHelp, bool ShowVersion)
{
    public static ParsedCommandLine Check(CheckOptions options) => new(options, null, false, false);

    public static ParsedCommandLine Invalid(string error) => new(null, error, false, false);

    public static ParsedCommandLine Help() => new(null, null, true, false);

    public static ParsedCommandLine Version() => new(null, null, false, true);
}
