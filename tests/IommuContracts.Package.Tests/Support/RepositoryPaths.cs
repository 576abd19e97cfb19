namespace IommuContracts.Package.Tests.Support;

/// <summary>Paths inside this repository, found from the test binaries by walking up to IommuContracts.sln.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Of(params string[] parts) => Path.Combine([Root, .. parts]);

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
