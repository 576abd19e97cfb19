using System.Collections.Immutable;
using System.Diagnostics;
using System.Globalization;
using IommuContracts.Contracts;
using IommuContracts.Generators;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace IommuContracts.Benchmarks;

/// <summary>
/// The synthetic project parsed once, the generator's output for it, and two edited copies of single files.
/// <see cref="Create"/> verifies everything a benchmark relies on and throws otherwise, so that no benchmark
/// can silently measure a broken compilation or a generator that produced nothing.
/// </summary>
public sealed class SyntheticWorkspace
{
    public const string AssemblyName = "Contoso.Vmm";

    /// <summary>The ordinary file whose <c>Checksum()</c> body the one-line edit changes.</summary>
    public const int EditedOrdinaryFile = 251;

    /// <summary>The driver file whose RingMap struct the declaration edit changes.</summary>
    public const int EditedDriverFile = 255;

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static readonly CSharpCompilationOptions CompilationOptions =
        new(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable);

    private SyntheticWorkspace(
        ImmutableArray<SyntaxTree> inputTrees,
        ImmutableArray<SyntaxTree> generatedTrees,
        ImmutableArray<MetadataReference> references,
        FileEdit bodyEdit,
        FileEdit declarationEdit)
    {
        InputTrees = inputTrees;
        GeneratedTrees = generatedTrees;
        References = references;
        BodyEdit = bodyEdit;
        DeclarationEdit = declarationEdit;
        AllTrees = inputTrees.AddRange(generatedTrees);
    }

    /// <summary>The hand-written files, parsed.</summary>
    public ImmutableArray<SyntaxTree> InputTrees { get; }

    /// <summary>What the generator added for <see cref="InputTrees"/>, parsed by the driver.</summary>
    public ImmutableArray<SyntaxTree> GeneratedTrees { get; }

    /// <summary>Input and generated trees: everything the compiler compiles in a build.</summary>
    public ImmutableArray<SyntaxTree> AllTrees { get; }

    /// <summary>The .NET 8 reference assemblies and IommuContracts.dll.</summary>
    public ImmutableArray<MetadataReference> References { get; }

    /// <summary>One line inside a method body of an ordinary file, changed.</summary>
    public FileEdit BodyEdit { get; }

    /// <summary>One field of one ioctl struct, renamed.</summary>
    public FileEdit DeclarationEdit { get; }

    /// <summary>A new compilation of the hand-written files, with no symbols bound yet (as a build starts).</summary>
    public CSharpCompilation CreateInputCompilation() => CSharpCompilation.Create(AssemblyName, InputTrees, References, CompilationOptions);

    /// <summary>A new driver for <see cref="IoctlGenerator"/>; step tracking is off unless asked for, as in the compiler.</summary>
    public static GeneratorDriver CreateDriver(bool trackSteps = false)
        => CSharpGeneratorDriver.Create(
            [new IoctlGenerator().AsSourceGenerator()],
            parseOptions: ParseOptions,
            driverOptions: new GeneratorDriverOptions(IncrementalGeneratorOutputKind.None, trackIncrementalGeneratorSteps: trackSteps));

    /// <summary>Builds and verifies the workspace; throws <see cref="InvalidOperationException"/> on anything unexpected.</summary>
    public static SyntheticWorkspace Create(TextWriter? log = null)
    {
        var clock = Stopwatch.StartNew();
        var files = SyntheticProject.Create();
        var inputTrees = files
            .Select(f => CSharpSyntaxTree.ParseText(SourceText.From(f.Text, System.Text.Encoding.UTF8), ParseOptions, f.Path))
            .ToImmutableArray();
        Require(inputTrees.Length == SyntheticProject.FileCount, $"expected {SyntheticProject.FileCount} files, got {inputTrees.Length}");
        RequireNoErrors(inputTrees.SelectMany(t => t.GetDiagnostics()), "parsing the synthetic files");

        var references = Basic.Reference.Assemblies.Net80.References.All
            .Cast<MetadataReference>()
            .Append(MetadataReference.CreateFromFile(typeof(IoctlCommandAttribute).Assembly.Location))
            .ToImmutableArray();

        var compilation = CSharpCompilation.Create(AssemblyName, inputTrees, references, CompilationOptions);
        var driver = CreateDriver().RunGeneratorsAndUpdateCompilation(compilation, out var output, out var generatorDiagnostics);
        Require(generatorDiagnostics.IsEmpty, "the generator reported diagnostics: " + string.Join("; ", generatorDiagnostics));
        var result = driver.GetRunResult().Results.Single();
        Require(result.Exception is null, "the generator threw: " + result.Exception);
        RequireExpectedSources(result.GeneratedSources);
        RequireNoErrors(output.GetDiagnostics(), "compiling the synthetic project with the generated sources");
        var generatedTrees = result.GeneratedSources.Select(s => s.SyntaxTree).ToImmutableArray();

        var bodyEdit = FileEdit.Replace(inputTrees[EditedOrdinaryFile], SyntheticProject.EditableLine, SyntheticProject.EditedLine);
        var method = bodyEdit.EnclosingMember();
        Require(
            method is MethodDeclarationSyntax { Identifier.ValueText: "Checksum", Body: not null } m && m.Body.Span.Contains(bodyEdit.Span),
            "the one-line edit must land inside the body of Checksum()");
        Require(!SyntheticProject.IsDriver(EditedOrdinaryFile), "the one-line edit must be in a file without generator inputs");

        var declarationEdit = FileEdit.Replace(inputTrees[EditedDriverFile], SyntheticProject.EditableField, SyntheticProject.EditedField);
        Require(
            declarationEdit.EnclosingMember() is FieldDeclarationSyntax { Parent: StructDeclarationSyntax s } && s.Identifier.ValueText.EndsWith("RingMap", StringComparison.Ordinal),
            "the declaration edit must change a field of a RingMap ioctl struct");

        var workspace = new SyntheticWorkspace(inputTrees, generatedTrees, references, bodyEdit, declarationEdit);
        workspace.VerifyEdit(bodyEdit, expectChangedSource: null);
        workspace.VerifyEdit(declarationEdit, expectChangedSource: SyntheticProject.DriverName(EditedDriverFile) + "RingMap.Ioctl.g.cs");

        log?.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// Synthetic project verified in {clock.Elapsed.TotalSeconds:F1}s: {inputTrees.Length} files " +
            $"({SyntheticProject.DriverCount} with generator inputs, {inputTrees.Sum(t => t.GetText().Lines.Count)} lines), " +
            $"{generatedTrees.Length} generated sources, 0 errors; both edits checked."));
        return workspace;
    }

    /// <summary>
    /// Runs the generator before and after <paramref name="edit"/> and checks that the edited compilation still
    /// compiles where the edit can matter and that the generated sources changed exactly as expected.
    /// </summary>
    private void VerifyEdit(FileEdit edit, string? expectChangedSource)
    {
        var before = CreateInputCompilation();
        var driver = CreateDriver().RunGenerators(before);
        var after = before.ReplaceSyntaxTree(edit.Original, edit.Edited);
        driver = driver.RunGenerators(after);
        var result = driver.GetRunResult().Results.Single();
        Require(result.Exception is null, "the generator threw after an edit: " + result.Exception);
        Require(result.Diagnostics.IsEmpty, "the generator reported diagnostics after an edit");
        RequireExpectedSources(result.GeneratedSources);

        var changed = result.GeneratedSources
            .Where(s => !GeneratedTrees.Any(g => g.FilePath.EndsWith(s.HintName, StringComparison.Ordinal) && g.GetText().ContentEquals(s.SourceText)))
            .ToList();
        if (expectChangedSource is null)
        {
            Require(changed.Count == 0, "an edit of unrelated code changed generated sources: " + string.Join(", ", changed.Select(c => c.HintName)));
        }
        else
        {
            Require(
                changed.Count == 1 && changed[0].HintName.EndsWith(expectChangedSource, StringComparison.Ordinal),
                $"the declaration edit must change exactly {expectChangedSource}, changed: " + string.Join(", ", changed.Select(c => c.HintName)));
        }

        // Semantic errors can only appear in the edited file, in what the generator regenerated, or in code that used the old name.
        var compiled = after.AddSyntaxTrees(result.GeneratedSources.Select(s => s.SyntaxTree));
        var suspects = new[] { edit.Edited }.Concat(changed.Select(c => c.SyntaxTree));
        RequireNoErrors(suspects.SelectMany(t => compiled.GetSemanticModel(t).GetDiagnostics()), "compiling after the edit of " + edit.Original.FilePath);
        Require(
            expectChangedSource is null || !InputTrees.Any(t => t.GetText().ToString().Contains("." + SyntheticProject.EditableFieldName, StringComparison.Ordinal)),
            $"no code may refer to the renamed field {SyntheticProject.EditableFieldName}");
    }

    private static void RequireExpectedSources(ImmutableArray<GeneratedSourceResult> sources)
    {
        var expected = Enumerable.Range(0, SyntheticProject.FileCount)
            .Where(SyntheticProject.IsDriver)
            .SelectMany(index =>
            {
                var d = SyntheticProject.DriverName(index);
                var ns = "Contoso.Vmm.Devices." + d + ".";
                return new[]
                {
                    ns + d + "QueueId.Id.g.cs",
                    ns + d + "QueueAlloc.Ioctl.g.cs",
                    ns + d + "RingMap.Ioctl.g.cs",
                    ns + d + "Doorbell.Ioctl.g.cs",
                    ns + d + "QueueStats.Ioctl.g.cs",
                    ns + d + "File.Dispatch.g.cs",
                };
            })
            .ToHashSet(StringComparer.Ordinal);
        Require(expected.Count == SyntheticProject.ExpectedGeneratedSources, "the expected source list is inconsistent");
        var actual = sources.Select(s => s.HintName).ToHashSet(StringComparer.Ordinal);
        Require(
            sources.Length == SyntheticProject.ExpectedGeneratedSources && actual.SetEquals(expected),
            $"expected {expected.Count} generated sources, got {sources.Length}; missing: " +
            string.Join(", ", expected.Except(actual).Take(5)) + "; unexpected: " + string.Join(", ", actual.Except(expected).Take(5)));
    }

    private static void RequireNoErrors(IEnumerable<Diagnostic> diagnostics, string what)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(10).ToList();
        Require(errors.Count == 0, $"errors {what}:{Environment.NewLine}" + string.Join(Environment.NewLine, errors));
    }

    private static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Synthetic project: " + message);
        }
    }
}

/// <summary>A single-span text change of one syntax tree, reparsed incrementally as an editor would.</summary>
public sealed class FileEdit
{
    private FileEdit(SyntaxTree original, SyntaxTree edited, TextSpan span)
    {
        Original = original;
        Edited = edited;
        Span = span;
    }

    public SyntaxTree Original { get; }

    public SyntaxTree Edited { get; }

    /// <summary>Where the change is, in the original text.</summary>
    public TextSpan Span { get; }

    public static FileEdit Replace(SyntaxTree tree, string oldText, string newText)
    {
        var text = tree.GetText();
        var content = text.ToString();
        var at = content.IndexOf(oldText, StringComparison.Ordinal);
        if (at < 0 || content.IndexOf(oldText, at + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"Synthetic project: '{oldText}' must occur exactly once in {tree.FilePath}");
        }

        var span = new TextSpan(at, oldText.Length);
        if (text.Lines.GetLineFromPosition(span.Start).LineNumber != text.Lines.GetLineFromPosition(span.End).LineNumber || newText.Contains('\n', StringComparison.Ordinal))
        {
            throw new InvalidOperationException("Synthetic project: an edit must stay on one line");
        }

        var edited = tree.WithChangedText(text.WithChanges(new TextChange(span, newText)));
        if (edited.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            throw new InvalidOperationException($"Synthetic project: the edit of {tree.FilePath} does not parse");
        }

        return new FileEdit(tree, edited, span);
    }

    /// <summary>The innermost method or field declaration around the edit, in the original tree.</summary>
    public MemberDeclarationSyntax? EnclosingMember()
        => Original.GetRoot().FindNode(Span).AncestorsAndSelf().OfType<MemberDeclarationSyntax>().FirstOrDefault();
}
