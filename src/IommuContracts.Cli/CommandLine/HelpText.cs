namespace IommuContracts.Cli.CommandLine;

/// <summary>The usage text printed by --help and after a usage error.</summary>
internal static class HelpText
{
    public const string Usage = """
        iommufd-check: checks C# code against the IommuContracts declaration (IOMMUGEN) and contract (IOMMU) rules.

        Usage: iommufd-check <path> [options]

          <path>                      a .csproj, a .sln / .slnx, a folder holding one project (that project),
                                      or a folder of .cs files without a project

        Options:
          -f, --format <format>       table (default), sarif (SARIF 2.1.0) or markdown (a pull-request comment)
          -o, --output <file>         write the report to a file instead of stdout
              --diff <git-range>      report only findings in members that range changed (git diff <git-range>), each
                                      marked new or pre-existing against the range's base; only new ones fail the run
              --fail-on <severity>    none, info, warning or error (default): exit 1 when findings at or above it exist
          -c, --configuration <name>  build configuration for project and solution inputs (default Debug)
          -v, --verbose               progress and loading details on stderr
          -h, --help                  this text
              --version               the tool's version

        Exit codes: 0 clean, 1 findings at or above --fail-on, 2 usage error or missing path,
                    3 the input does not restore or compile (the findings over what binds are still reported),
                    4 internal error.

        Severities follow .editorconfig / .globalconfig (dotnet_diagnostic.<ID>.severity) next to the input.
        """;
}
