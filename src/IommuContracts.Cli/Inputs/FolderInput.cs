using System.Collections.Immutable;
using Basic.Reference.Assemblies;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace IommuContracts.Cli.Inputs;

/// <summary>
/// A folder of loose .cs files, compiled like a default SDK project (net10.0 reference assemblies, implicit
/// usings, nullable, unsafe allowed, latest C#) against the IommuContracts runtime library and engine shipped
/// with the tool. No MSBuild, so this is the fast path for review and tests.
/// </summary>
internal static class FolderInput
{
    private static readonly string[] SkippedDirectoryNames = ["bin", "obj", "node_modules", "TestResults"];

    // The global usings Microsoft.NET.Sdk adds for ImplicitUsings=enable, so files copied out of an SDK project compile.
    private const string ImplicitUsings = """
        global using global::System;
        global using global::System.Collections.Generic;
        global using global::System.IO;
        global using global::System.Linq;
        global using global::System.Net.Http;
        global using global::System.Threading;
        global using global::System.Threading.Tasks;
        """;

    public static CheckInput Load(string directory, Progress progress)
    {
        var files = EnumerateSources(directory).ToList();
        if (files.Count == 0)
        {
            throw new InputLoadException(ExitCodes.UsageError, $"no .cs files found in folder '{directory}'");
        }

        progress.Report($"parsing {files.Count} files in {directory}");
        var parseOptions = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: ["NET", "NET10_0_OR_GREATER", "NET8_0_OR_GREATER"]);
        var trees = files.AsParallel().AsOrdered().Select(file => SourceFiles.Parse(file, parseOptions)).ToList();
        trees.Add(CSharpSyntaxTree.ParseText(ImplicitUsings, parseOptions, Path.Combine(directory, "obj", "iommufd-check.GlobalUsings.g.cs")));

        var references = Net100.References.All
            .Concat(
            [
                MetadataReference.CreateFromFile(ShippedAssemblies.PathOf(ShippedAssemblies.RuntimeLibrary)),
                MetadataReference.CreateFromFile(ShippedAssemblies.PathOf(ShippedAssemblies.Engine)),
            ]);

        var options = new CSharpCompilationOptions(
            HasTopLevelStatements(trees) ? OutputKind.ConsoleApplication : OutputKind.DynamicallyLinkedLibrary,
            nullableContextOptions: NullableContextOptions.Enable,
            allowUnsafe: true);

        var compilation = CSharpCompilation.Create(Path.GetFileName(directory), trees, references, options);
        var configs = AnalyzerConfigFiles.Load(AnalyzerConfigFiles.DiscoverForFolder(directory, files));
        return new CheckInput(directory, Path.GetFileName(directory), compilation, parseOptions, [], [], configs);
    }

    private static IEnumerable<string> EnumerateSources(string directory)
    {
        foreach (var file in Directory.EnumerateFiles(directory, "*.cs").Order(StringComparer.Ordinal))
        {
            yield return Path.GetFullPath(file);
        }

        foreach (var child in Directory.EnumerateDirectories(directory).Order(StringComparer.Ordinal))
        {
            var name = Path.GetFileName(child);
            if (name.StartsWith('.') || SkippedDirectoryNames.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var file in EnumerateSources(child))
            {
                yield return file;
            }
        }
    }

    private static bool HasTopLevelStatements(IEnumerable<SyntaxTree> trees)
        => trees.Any(tree => tree.GetRoot() is CompilationUnitSyntax unit && unit.Members.OfType<GlobalStatementSyntax>().Any());
}
