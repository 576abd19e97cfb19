namespace IommuContracts.Cli.CommandLine;

/// <summary>
/// Parses "iommufd-check &lt;path&gt; [options]". Accepts "--name value" and "--name=value"; anything unknown is
/// an error that lists the valid options, so a typo never silently changes what CI checks.
/// </summary>
internal static class OptionParser
{
    public const string DefaultConfiguration = "Debug";

    public static IReadOnlyList<string> ValidOptions { get; } =
    [
        "--format", "-f", "--output", "-o", "--diff", "--fail-on", "--configuration", "-c", "--verbose", "-v",
        "--help", "-h", "--version",
    ];

    public static ParsedCommandLine Parse(IReadOnlyList<string> args)
    {
        string? input = null;
        var format = ReportFormat.Table;
        string? output = null;
        string? diff = null;
        var failOn = SeverityThreshold.Error;
        var configuration = DefaultConfiguration;
        var verbose = false;

        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg is "--help" or "-h" or "-?")
            {
                return ParsedCommandLine.Help();
            }

            if (arg == "--version")
            {
                return ParsedCommandLine.Version();
            }

            if (arg is "--verbose" or "-v")
            {
                verbose = true;
                continue;
            }

            if (!arg.StartsWith('-') || arg == "-")
            {
                if (input is not null)
                {
                    return ParsedCommandLine.Invalid($"only one input path is allowed, got '{input}' and '{arg}'");
                }

                input = arg;
                continue;
            }

            var (name, inlineValue) = SplitInlineValue(arg);
            if (!TakesValue(name))
            {
                return ParsedCommandLine.Invalid($"unknown option '{name}'; valid options: {string.Join(", ", ValidOptions)}");
            }

            string value;
            if (inlineValue is not null)
            {
                value = inlineValue;
            }
            else if (i + 1 < args.Count)
            {
                value = args[++i];
            }
            else
            {
                return ParsedCommandLine.Invalid($"option '{name}' needs a value");
            }

            switch (name)
            {
                case "--format" or "-f":
                    if (!TryParseFormat(value, out format))
                    {
                        return ParsedCommandLine.Invalid($"unknown format '{value}'; use table, sarif or markdown");
                    }

                    break;
                case "--output" or "-o":
                    output = value;
                    break;
                case "--diff":
                    diff = value;
                    break;
                case "--fail-on":
                    if (!TryParseThreshold(value, out failOn))
                    {
                        return ParsedCommandLine.Invalid($"unknown severity '{value}' for --fail-on; use none, info, warning or error");
                    }

                    break;
                default:
                    configuration = value;
                    break;
            }
        }

        if (input is null)
        {
            return ParsedCommandLine.Invalid("no input: give a .csproj, a .sln/.slnx or a folder of .cs files");
        }

        return ParsedCommandLine.Check(new CheckOptions(input, format, output, diff, failOn, configuration, verbose));
    }

    private static (string Name, string? Value) SplitInlineValue(string arg)
    {
        var equals = arg.IndexOf('=', StringComparison.Ordinal);
        return equals > 0 ? (arg[..equals], arg[(equals + 1)..]) : (arg, null);
    }

    private static bool TakesValue(string name) => name is
        "--format" or "-f" or "--output" or "-o" or "--diff" or "--fail-on" or "--configuration" or "-c";

    private static bool TryParseFormat(string value, out ReportFormat format)
    {
        switch (value.ToUpperInvariant())
        {
            case "TABLE":
                format = ReportFormat.Table;
                return true;
            case "SARIF":
                format = ReportFormat.Sarif;
                return true;
            case "MARKDOWN" or "MD":
                format = ReportFormat.Markdown;
                return true;
            default:
                format = ReportFormat.Table;
                return false;
        }
    }

    private static bool TryParseThreshold(string value, out SeverityThreshold threshold)
    {
        switch (value.ToUpperInvariant())
        {
            case "NONE":
                threshold = SeverityThreshold.None;
                return true;
            case "INFO" or "NOTE":
                threshold = SeverityThreshold.Info;
                return true;
            case "WARNING":
                threshold = SeverityThreshold.Warning;
                return true;
            case "ERROR":
                threshold = SeverityThreshold.Error;
                return true;
            default:
                threshold = SeverityThreshold.Error;
                return false;
        }
    }
}
