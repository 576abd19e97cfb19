using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace IommuContracts.Analyzers.Tests.Support;

/// <summary>
/// Runs one analyzer on a snippet with exact-span markup ({|IOMMU0004:...|}); every diagnostic reported and not
/// marked fails the test. The snippet follows <see cref="SnippetUsings"/> and compiles against
/// <see cref="SnippetReferences"/>.
/// </summary>
public static class ContractVerifier<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static Task VerifyAsync(string source)
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
        {
            TestCode = SnippetUsings.Text + source,
            ReferenceAssemblies = new ReferenceAssemblies("net8.0"),
        };
        AddReferences(test.TestState);
        return test.RunAsync();
    }

    public static void AddReferences(SolutionState state)
    {
        state.AdditionalReferences.AddRange(SnippetReferences.All);
    }
}
