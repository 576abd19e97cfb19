namespace IommuContracts.Cli.CommandLine;

/// <summary>A parsed iommufd-check command line.</summary>
internal sealed record CheckOptions(
    string InputPath,
    ReportFormat Format,
    string? OutputPath,
    string? DiffRange,
    SeverityThreshold FailOn,
    string Configuration,
    bool Verbose);
