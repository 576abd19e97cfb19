using IommuContracts.Contracts;
using IommuContracts.Engine.Kapi;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace IommuContracts.Analyzers.Tests.Support;

/// <summary>
/// Runs one analyzer on a snippet with exact-span markup ({|IOMMU0004:...|}); every diagnostic reported and not
/// marked fails the test. References come from Basic.Reference.Assemblies (nothing is downloaded) plus the
/// IommuContracts and IommuContracts.Engine assemblies, whose annotations the analyzers read.
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
        state.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net80.References.All);
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(IoctlCommandAttribute).Assembly.Location));
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(Iommufd).Assembly.Location));
    }
}
