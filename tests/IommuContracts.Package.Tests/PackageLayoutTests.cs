using System.IO.Compression;
using System.Xml.Linq;
using IommuContracts.Package.Tests.Support;

namespace IommuContracts.Package.Tests;

/// <summary>What the two packages contain and declare, read from the .nupkg files.</summary>
[Collection(PackageCollection.Name)]
public class PackageLayoutTests(PackageFixture package)
{
    private const string Repository = "https://github.com/IommuContracts/IommuContracts";

    [Fact]
    public void IommuContracts_holds_the_library_the_generator_analyzers_and_fixes_the_props_and_the_presets()
    {
        Assert.Equal(
            [
                "PACKAGE.md",
                "analyzers/dotnet/cs/IommuContracts.Analyzers.CodeFixes.dll",
                "analyzers/dotnet/cs/IommuContracts.Analyzers.dll",
                "analyzers/dotnet/cs/IommuContracts.Generators.dll",
                "buildTransitive/IommuContracts.props",
                "buildTransitive/config/all-errors.globalconfig",
                "buildTransitive/config/all-warnings.globalconfig",
                "buildTransitive/config/none.globalconfig",
                "lib/net8.0/IommuContracts.dll",
                "lib/net8.0/IommuContracts.xml",
            ],
            PayloadFiles(package.RuntimePackage));
    }

    [Fact]
    public void IommuContracts_metadata_names_license_readme_and_repository_and_depends_on_nothing()
    {
        var nuspec = Nuspec(package.RuntimePackage);

        AssertCommonMetadata(nuspec, "IommuContracts");
        Assert.NotEqual("true", Metadata(nuspec, "developmentDependency"));
        Assert.DoesNotContain(nuspec.Descendants(), e => e.Name.LocalName == "dependency");
    }

    [Fact]
    public void IommuContracts_Engine_holds_only_the_engine_and_depends_on_IommuContracts_with_every_asset()
    {
        Assert.Equal(["PACKAGE.md", "lib/net8.0/IommuContracts.Engine.dll", "lib/net8.0/IommuContracts.Engine.xml"], PayloadFiles(package.EnginePackage));

        var nuspec = Nuspec(package.EnginePackage);
        AssertCommonMetadata(nuspec, "IommuContracts.Engine");
        var dependency = Assert.Single(nuspec.Descendants(), e => e.Name.LocalName == "dependency");
        Assert.Equal("IommuContracts", (string?)dependency.Attribute("id"));
        Assert.Equal(package.Version, (string?)dependency.Attribute("version"));
        // NuGet's default for a project reference is exclude="Build,Analyzers": a project that references only the
        // engine would then get neither the analyzers nor the analysis-mode props.
        Assert.Null(dependency.Attribute("exclude"));
    }

    private void AssertCommonMetadata(XElement nuspec, string id)
    {
        Assert.Equal(id, Metadata(nuspec, "id"));
        Assert.Equal(package.Version, Metadata(nuspec, "version"));
        var license = Assert.Single(nuspec.Descendants(), e => e.Name.LocalName == "license");
        Assert.Equal(("expression", "MIT"), ((string?)license.Attribute("type"), license.Value));
        Assert.Equal("PACKAGE.md", Metadata(nuspec, "readme"));
        Assert.Equal(Repository, Metadata(nuspec, "projectUrl"));
        var repository = Assert.Single(nuspec.Descendants(), e => e.Name.LocalName == "repository");
        Assert.Equal(Repository, (string?)repository.Attribute("url"));
        Assert.Contains("iommufd", Metadata(nuspec, "tags")!.Split(' '));
        Assert.False(string.IsNullOrWhiteSpace(Metadata(nuspec, "description")));
    }

    /// <summary>The package's own files, without the OPC bookkeeping every .nupkg has and the nuspec.</summary>
    internal static List<string> PayloadFiles(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        return zip.Entries.Select(e => e.FullName)
            .Where(name => !name.StartsWith("_rels/", StringComparison.Ordinal)
                && !name.StartsWith("package/", StringComparison.Ordinal)
                && name != "[Content_Types].xml"
                && !name.EndsWith(".nuspec", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
    }

    internal static XElement Nuspec(string nupkg)
    {
        using var zip = ZipFile.OpenRead(nupkg);
        using var stream = zip.Entries.Single(e => e.FullName.EndsWith(".nuspec", StringComparison.Ordinal)).Open();
        return XElement.Load(stream);
    }

    private static string? Metadata(XElement nuspec, string name)
        => nuspec.Descendants().FirstOrDefault(e => e.Name.LocalName == name)?.Value;
}
