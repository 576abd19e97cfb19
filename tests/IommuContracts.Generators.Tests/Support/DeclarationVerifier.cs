using IommuContracts.Contracts;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;

namespace IommuContracts.Generators.Tests.Support;

/// <summary>
/// Runs <see cref="DeclarationAnalyzer"/> on a source snippet with exact-span markup ({|IOMMUGEN001:Name|}).
/// References come from Basic.Reference.Assemblies (nothing is downloaded at test time) plus IommuContracts.dll.
/// </summary>
public static class DeclarationVerifier
{
    /// <summary>A reference set with no package: the net8.0 reference assemblies are added directly.</summary>
    private static readonly ReferenceAssemblies Offline = new("net8.0");

    public static Task VerifyAsync(string source)
    {
        var test = new CSharpAnalyzerTest<DeclarationAnalyzer, DefaultVerifier>
        {
            TestCode = source,
            ReferenceAssemblies = Offline,
        };
        AddReferences(test.TestState);
        return test.RunAsync();
    }

    public static void AddReferences(SolutionState state)
    {
        state.AdditionalReferences.AddRange(Basic.Reference.Assemblies.Net80.References.All);
        state.AdditionalReferences.Add(MetadataReference.CreateFromFile(typeof(IoctlCommandAttribute).Assembly.Location));
    }
}
