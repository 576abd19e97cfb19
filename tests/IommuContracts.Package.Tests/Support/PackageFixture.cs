using System.Globalization;
using System.IO.Compression;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Package.Tests.Support;

/// <summary>
/// Packs IommuContracts and IommuContracts.Engine once for all package tests, into a feed in a temporary folder, and
/// restores a copy of Consumer/ from that feed alone.
/// <para>
/// The packs use --no-build: this test project references both projects, so their outputs for this configuration
/// exist (in CI the solution build made them), and nothing is rebuilt under the feet of test projects that run at
/// the same time. Nothing is written into the repository (the nuspec goes to the temporary folder too).
/// </para>
/// <para>
/// The consumer folder has its own nuget.config (cleared sources, only the feed), empty Directory.Build.targets and
/// Directory.Packages.props, a Directory.Build.props that only sets the version, and a root .editorconfig, so nothing
/// of the repository or the machine applies; NUGET_PACKAGES points into the temporary folder, so the test version
/// never reaches the user's package cache and a stale cached copy is never used.
/// </para>
/// </summary>
public sealed class PackageFixture : IAsyncLifetime
{
    public const string Configuration =
#if DEBUG
        "Debug";
#else
        "Release";
#endif

    public PackageFixture()
    {
        Root = Path.Combine(Path.GetTempPath(), "iommucontracts-package-" + Guid.NewGuid().ToString("N")[..12]);
        Version = "0.0.0-ci." + DateTime.UtcNow.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture);
    }

    public string Root { get; }

    public string Version { get; }

    public string Feed => Path.Combine(Root, "feed");

    public string ConsumerDirectory => Path.Combine(Root, "consumer");

    /// <summary>The package's analyzers/dotnet/cs folder: the generator, the analyzers and the code fixes.</summary>
    public string AnalyzersDirectory => Path.Combine(Root, "analyzers");

    /// <summary>The lib/net8.0 assemblies of both packages, as a project that references them compiles against.</summary>
    public IReadOnlyList<string> LibraryAssemblies { get; private set; } = [];

    public string RuntimePackage => Path.Combine(Feed, $"IommuContracts.{Version}.nupkg");

    public string EnginePackage => Path.Combine(Feed, $"IommuContracts.Engine.{Version}.nupkg");

    public string RuntimeSymbolsPackage => Path.Combine(Feed, $"IommuContracts.{Version}.snupkg");

    public string EngineSymbolsPackage => Path.Combine(Feed, $"IommuContracts.Engine.{Version}.snupkg");

    /// <summary>Every rule the packaged analyzers (and the generator's declaration analyzer) can report.</summary>
    public IReadOnlyList<DiagnosticDescriptor> Rules { get; private set; } = [];

    /// <summary>How long packing and restoring took, for the test log.</summary>
    public IReadOnlyList<DotnetRun> SetupRuns { get; private set; } = [];

    private IReadOnlyDictionary<string, string> ConsumerEnvironment => new Dictionary<string, string>
    {
        ["NUGET_PACKAGES"] = Path.Combine(Root, "packages"),
    };

    public Task InitializeAsync()
    {
        Directory.CreateDirectory(Feed);
        var runs = new List<DotnetRun>
        {
            Pack("src/IommuContracts/IommuContracts.csproj"),
            Pack("src/IommuContracts.Engine/IommuContracts.Engine.csproj"),
        };

        var analyzers = AnalyzersDirectory;
        using (var package = ZipFile.OpenRead(RuntimePackage))
        {
            foreach (var entry in package.Entries.Where(e => e.FullName.StartsWith("analyzers/dotnet/cs/", StringComparison.Ordinal)))
            {
                Directory.CreateDirectory(analyzers);
                entry.ExtractToFile(Path.Combine(analyzers, entry.Name));
            }
        }

        var libraries = new List<string>();
        foreach (var nupkg in new[] { RuntimePackage, EnginePackage })
        {
            using var package = ZipFile.OpenRead(nupkg);
            foreach (var entry in package.Entries.Where(e => e.FullName.StartsWith("lib/net8.0/", StringComparison.Ordinal) && e.Name.EndsWith(".dll", StringComparison.Ordinal)))
            {
                var target = Path.Combine(Root, "lib", entry.Name);
                Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                entry.ExtractToFile(target);
                libraries.Add(target);
            }
        }

        LibraryAssemblies = libraries;
        Rules = PackagedRules.Load(analyzers);

        CopyConsumer();
        runs.Add(Expect(0, Dotnet.Run(ConsumerDirectory, ConsumerEnvironment, "restore", "Consumer.csproj", "-tl:off")));
        SetupRuns = runs;
        return Task.CompletedTask;
    }

    public Task DisposeAsync()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail on cleanup.
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// Rebuilds the consumer from scratch with the given MSBuild properties (every diagnostic is printed again, whatever
    /// the previous test built), and returns what it printed.
    /// </summary>
    public DotnetRun BuildConsumer(params string[] properties)
        => Dotnet.Run(
            ConsumerDirectory,
            ConsumerEnvironment,
            ["build", "Consumer.csproj", "--no-restore", "--no-incremental", "-c", "Debug", "-tl:off", "-nodeReuse:false",
             "-p:UseSharedCompilation=false", .. properties.Select(p => "-p:" + p)]);

    /// <summary>Builds the consumer as a user does again and again: incrementally, skipping what is up to date.</summary>
    public DotnetRun BuildConsumerIncrementally(params string[] properties)
        => Dotnet.Run(
            ConsumerDirectory,
            ConsumerEnvironment,
            ["build", "Consumer.csproj", "--no-restore", "-c", "Debug", "-tl:off", "-nodeReuse:false",
             "-p:UseSharedCompilation=false", .. properties.Select(p => "-p:" + p)]);

    /// <summary>
    /// A project folder of its own beside the consumer, isolated the same way (the feed as the only source, the package
    /// version, no repository settings), for tests that bring their own project.
    /// </summary>
    public string CreateProjectFolder(string name)
    {
        var directory = Path.Combine(Root, name);
        Directory.CreateDirectory(directory);
        WriteIsolation(directory);
        return directory;
    }

    /// <summary>A dotnet command in <paramref name="directory"/> with the consumer's environment (the private package cache).</summary>
    public DotnetRun RunDotnet(string directory, params string[] arguments) => Dotnet.Run(directory, ConsumerEnvironment, arguments);

    public DotnetRun RunConsumer()
        => Dotnet.Run(ConsumerDirectory, ConsumerEnvironment, Path.Combine(ConsumerDirectory, "bin", "Debug", "net10.0", "Consumer.dll"));

    /// <summary>Replaces the consumer's .editorconfig (a root one, so nothing above the temporary folder applies).</summary>
    public void WriteEditorConfig(params string[] settings)
        => File.WriteAllText(
            Path.Combine(ConsumerDirectory, ".editorconfig"),
            string.Join('\n', ["root = true", string.Empty, "[*.cs]", .. settings]) + "\n");

    private DotnetRun Pack(string project)
        => Expect(0, Dotnet.Run(
            RepositoryPaths.Root,
            environment: null,
            "pack", RepositoryPaths.Of(project.Split('/')), "-c", Configuration, "--no-build", "-o", Feed, "-tl:off", "-nodeReuse:false",
            "-p:Version=" + Version, "-p:NuspecOutputPath=" + Path.Combine(Root, "nuspec") + Path.DirectorySeparatorChar));

    private void CopyConsumer()
    {
        var source = RepositoryPaths.Of("tests", "IommuContracts.Package.Tests", "Consumer");
        Directory.CreateDirectory(ConsumerDirectory);
        foreach (var file in Directory.GetFiles(source))
        {
            File.Copy(file, Path.Combine(ConsumerDirectory, Path.GetFileName(file)));
        }

        WriteIsolation(ConsumerDirectory);
        WriteEditorConfig();
    }

    private void WriteIsolation(string directory)
    {
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="feed" value="{Feed}" />
              </packageSources>
            </configuration>
            """);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), $"""
            <Project>
              <PropertyGroup>
                <IommuContractsVersion>{Version}</IommuContractsVersion>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />\n");
        File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), """
            <Project>
              <PropertyGroup>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(directory, ".editorconfig"), "root = true\n");
    }

    private static DotnetRun Expect(int exitCode, DotnetRun run)
        => run.ExitCode == exitCode ? run : throw new InvalidOperationException("Package test setup failed: " + run);
}

[CollectionDefinition(Name)]
public sealed class PackageCollection : ICollectionFixture<PackageFixture>
{
    public const string Name = "packed IommuContracts";
}
