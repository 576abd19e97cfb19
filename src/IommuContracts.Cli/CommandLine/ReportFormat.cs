namespace IommuContracts.Cli.CommandLine;

/// <summary>How the findings are written.</summary>
internal enum ReportFormat
{
    /// <summary>Aligned columns for a terminal or a build log.</summary>
    Table,

    /// <summary>SARIF 2.1.0 for code-scanning uploads and IDE viewers.</summary>
    Sarif,

    /// <summary>A summary and a table for a pull-request comment.</summary>
    Markdown,
}
