using IommuContracts.Analyzers.Tests.Samples;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace IommuContracts.Analyzers.Tests.Support;

/// <summary>
/// A code-fix test with every contract analyzer running: the marked diagnostics (of any rule) are the ones the
/// snippet has, and the fixed code must have none at all and no compiler error. The testing library applies the
/// fix one diagnostic at a time and with Fix All in document, project and solution scope, and all must give the
/// fixed code. <see cref="EditorConfig"/> lines go in a root .editorconfig under [*.cs].
/// </summary>
public sealed class ContractFixTest<TCodeFix> : CSharpCodeFixTest<EmptyDiagnosticAnalyzer, TCodeFix, DefaultVerifier>
    where TCodeFix : CodeFixProvider, new()
{
    public ContractFixTest(string source, string fixedSource, params string[] editorConfig)
    {
        TestCode = SnippetUsings.Text + source;
        FixedCode = SnippetUsings.Text + fixedSource;
        ReferenceAssemblies = new ReferenceAssemblies("net8.0");
        // IOMMU0003 has a descriptor in two analyzers (a discarded result, a use before the check); markup names the ID.
        MarkupOptions = MarkupOptions.UseFirstDescriptor;
        ContractVerifier<EmptyDiagnosticAnalyzer>.AddReferences(TestState);
        ContractVerifier<EmptyDiagnosticAnalyzer>.AddReferences(FixedState);
        if (editorConfig.Length > 0)
        {
            var text = string.Join('\n', ["root = true", string.Empty, "[*.cs]", .. editorConfig]) + "\n";
            TestState.AnalyzerConfigFiles.Add(("/.editorconfig", text));
            FixedState.AnalyzerConfigFiles.Add(("/.editorconfig", text));
        }
    }

    protected override IEnumerable<DiagnosticAnalyzer> GetDiagnosticAnalyzers() => BrokenDriverTests.AllAnalyzers();
}
