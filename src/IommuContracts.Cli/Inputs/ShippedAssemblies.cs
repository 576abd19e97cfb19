namespace IommuContracts.Cli.Inputs;

/// <summary>
/// The IommuContracts assemblies that ship next to the tool: the runtime library and engine (references for folder
/// inputs) and the generator and analyzer assemblies (searched for analyzers and generators at run time).
/// </summary>
internal static class ShippedAssemblies
{
    public const string RuntimeLibrary = "IommuContracts.dll";
    public const string Engine = "IommuContracts.Engine.dll";
    public const string Generators = "IommuContracts.Generators.dll";
    public const string Analyzers = "IommuContracts.Analyzers.dll";

    /// <summary>Analyzer-reference file names a project may carry (e.g. from the package) that the tool's own copies replace.</summary>
    public static IReadOnlySet<string> ReplacedAnalyzerFileNames { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        Generators,
        Analyzers,
        "IommuContracts.Analyzers.CodeFixes.dll",
    };

    public static string Directory { get; } = AppContext.BaseDirectory;

    public static string PathOf(string fileName)
    {
        var path = Path.Combine(Directory, fileName);
        if (!File.Exists(path))
        {
            throw new InputLoadException(
                ExitCodes.InternalError,
                $"broken installation: '{fileName}' is missing next to the tool in '{Directory}'; reinstall iommufd-check");
        }

        return path;
    }
}
