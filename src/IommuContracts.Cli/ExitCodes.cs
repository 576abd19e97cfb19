namespace IommuContracts.Cli;

/// <summary>The process exit codes of iommufd-check; CI scripts branch on them.</summary>
internal static class ExitCodes
{
    /// <summary>Checked; nothing at or above the --fail-on severity.</summary>
    public const int Clean = 0;

    /// <summary>Checked; findings at or above the --fail-on severity.</summary>
    public const int FindingsAtOrAboveThreshold = 1;

    /// <summary>Bad command line, missing path, a folder with several projects, or a --diff range git cannot resolve.</summary>
    public const int UsageError = 2;

    /// <summary>
    /// Nothing reached --fail-on, but the input does not restore or has compile errors: the findings (over what binds)
    /// may be incomplete.
    /// </summary>
    public const int InputDoesNotCompile = 3;

    /// <summary>A defect in the tool itself (or a broken installation), reported with its stack trace.</summary>
    public const int InternalError = 4;
}
