namespace IommuContracts.Cli.CommandLine;

/// <summary>The usage text printed by --help and after a usage error.</summary>
internal static class HelpText
{
    public const string Usage = """
        iommufd-check: checks C# code against the IommuContracts declaration (IOMMUGEN) and contract (IOMMU) rules.

        Usage: iommufd-check <path> [options]

          <path>                      a .csproj, a .sln / .slnx, or a folder of .cs files

        Options:
          -f, --format <format>       table (default), sarif (SARIF 2.1.0) or markdown (a pull-request comment)
          -o, --output <file>         write the report to a file instead of stdout
              --diff <git-range>      report only findings on lines changed in that range (git diff <git-range>)
              --fail-on <severity>    none, info, warning or error (default): exit 1 when findings at or above it exist
          -c, --configuration <name>  build configuration for project and solution inputs (default Debug)
          -v, --verbose               progress and loading details on stderr
          -h, --help                  this text
              --version               the tool's version

        Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or missing path,
                    3 the input does not compile, 4 internal error.

        Severities follow .editorconfig / .globalconfig (dotnet_diagnostic.<ID>.severity) next to the input.
        """;
}
