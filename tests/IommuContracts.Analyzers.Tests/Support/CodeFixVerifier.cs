using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace IommuContracts.Analyzers.Tests.Support;

/// <summary>Applies one code fix to the marked diagnostics and compares the result; the fixed code must be diagnostic-free.</summary>
public static class CodeFixVerifier<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static Task VerifyAsync(string source, string fixedSource)
    {
        var test = new CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
        {
            TestCode = SnippetUsings.Text + source,
            FixedCode = SnippetUsings.Text + fixedSource,
            ReferenceAssemblies = new ReferenceAssemblies("net8.0"),
        };
        ContractVerifier<TAnalyzer>.AddReferences(test.TestState);
        ContractVerifier<TAnalyzer>.AddReferences(test.FixedState);
        return test.RunAsync();
    }
}
