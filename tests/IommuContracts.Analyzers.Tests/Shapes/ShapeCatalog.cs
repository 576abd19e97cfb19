namespace IommuContracts.Analyzers.Tests.Shapes;

/// <summary>Every snippet under tests/IommuContracts.Analyzers.Tests/Shapes/Snippets, by class (its folder).</summary>
public static class ShapeCatalog
{
    private static readonly Lazy<IReadOnlyList<ShapeSnippet>> s_all = new(Load);

    public static string Directory => RepositoryPaths.Of("tests", "IommuContracts.Analyzers.Tests", "Shapes", "Snippets");

    public static IReadOnlyList<ShapeSnippet> All => s_all.Value;

    public static ShapeSnippet Get(string id) => All.Single(s => s.Id == id);

    public static TheoryData<string> Ids() => new(All.Select(s => s.Id));

    private static List<ShapeSnippet> Load()
        => System.IO.Directory.GetFiles(Directory, "*.cs", SearchOption.AllDirectories)
            .Select(path => ShapeSnippet.Parse(
                Path.GetFileName(Path.GetDirectoryName(path))!,
                Path.GetFileNameWithoutExtension(path),
                File.ReadAllText(path)))
            .OrderBy(s => s.Id, StringComparer.Ordinal)
            .ToList();
}
