using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Whether a body can be analysed at all: code with syntax errors, or with calls and names the compiler could not
/// bind, is code being typed, and its flow says nothing yet (no flow diagnostics, an unknown summary).
/// </summary>
internal static class BodyCheck
{
    public static bool HasErrors(IOperation root)
    {
        var syntax = root.Syntax;
        if (syntax.ContainsDiagnostics && syntax.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return true;
        }

        return OperationTree.Any(root, static o => o is IInvalidOperation);
    }
}
