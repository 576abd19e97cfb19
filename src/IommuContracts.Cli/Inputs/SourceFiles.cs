using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace IommuContracts.Cli.Inputs;

/// <summary>Reads and parses source files the way the compiler does (encoding detection, SHA-256 checksums).</summary>
internal static class SourceFiles
{
    public static SyntaxTree Parse(string path, CSharpParseOptions options)
    {
        using var stream = File.OpenRead(path);
        var text = SourceText.From(stream, checksumAlgorithm: SourceHashAlgorithm.Sha256);
        return CSharpSyntaxTree.ParseText(text, options, path);
    }
}
