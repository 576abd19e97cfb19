namespace IommuContracts.Tests;

/// <summary>
/// Paths inside this repository, found by walking up from the test binaries to IommuContracts.sln.
/// Not from [CallerFilePath]: a CI build (ContinuousIntegrationBuild) maps source paths to /_/.
/// </summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Sample(string name) => Of("samples", name);

    private static string FindRoot()
    {
        for (var directory = AppContext.BaseDirectory; directory is not null; directory = Path.GetDirectoryName(directory))
        {
            if (File.Exists(Path.Combine(directory, "IommuContracts.sln")))
            {
                return directory;
            }
        }

        throw new InvalidOperationException("IommuContracts.sln not found above " + AppContext.BaseDirectory);
    }
}
