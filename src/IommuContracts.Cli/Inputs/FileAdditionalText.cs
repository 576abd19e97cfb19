using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace IommuContracts.Cli.Inputs;

/// <summary>An additional file (AdditionalFiles item) read from disk on first use.</summary>
internal sealed class FileAdditionalText(string path) : AdditionalText
{
    private readonly Lazy<SourceText?> _text = new(() => File.Exists(path)
        ? SourceText.From(File.ReadAllText(path), Encoding.UTF8)
        : null);

    public override string Path { get; } = path;

    public override SourceText? GetText(CancellationToken cancellationToken = default) => _text.Value;
}
