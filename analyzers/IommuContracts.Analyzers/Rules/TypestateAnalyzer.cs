using System.Collections.Immutable;
using System.Linq;
using IommuContracts.Analyzers.Infrastructure;
using IommuContracts.Analyzers.Typestate;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// The flow-sensitive handle rules: touching a device before bind, use after unbind / destroy / put, outputs
/// used before the result was checked, unbind while attached, attach / replace / detach in the wrong state,
/// leaks on some or all paths, fields never released, access state, VFIO ioctls before BIND, and maps at a
/// fixed IOVA after the usable ranges changed. A control-flow graph is built only for bodies that call
/// something annotated.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class TypestateAnalyzer : ContractAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        ContractDiagnostics.InternalError,
        ContractDiagnostics.DeviceTouchedBeforeBind, ContractDiagnostics.DeviceMaybeTouchedBeforeBind,
        ContractDiagnostics.UseAfterRelease, ContractDiagnostics.MaybeUseAfterRelease,
        ContractDiagnostics.UncheckedResult,
        ContractDiagnostics.UnbindWhileAttached, ContractDiagnostics.MaybeUnbindWhileAttached,
        ContractDiagnostics.AttachWhileAttached, ContractDiagnostics.MaybeAttachWhileAttached,
        ContractDiagnostics.ReplaceWhenNotAttached, ContractDiagnostics.MaybeReplaceWhenNotAttached,
        ContractDiagnostics.DetachWhenNotAttached, ContractDiagnostics.MaybeDetachWhenNotAttached,
        ContractDiagnostics.Leak, ContractDiagnostics.MaybeLeak, ContractDiagnostics.FieldNeverReleased,
        ContractDiagnostics.AccessNotAttached, ContractDiagnostics.MaybeAccessNotAttached,
        ContractDiagnostics.VfioIoctlBeforeBind, ContractDiagnostics.MaybeVfioIoctlBeforeBind, ContractDiagnostics.MapWithStaleRanges);

    private protected override void Register(CompilationStartAnalysisContext start, ContractSymbols symbols)
    {
        start.RegisterSymbolStartAction(typeStart => StartType(typeStart, symbols), SymbolKind.NamedType);
    }

    private static void StartType(SymbolStartAnalysisContext context, ContractSymbols symbols)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var fields = TypeBodies.HandleFields(type, symbols);
        var bodies = fields.IsEmpty ? null : new TypeBodies(symbols, fields);

        context.RegisterOperationBlockAction(block =>
        {
            if (AnalyzerGuard.IsSuppressed(block.OwningSymbol, symbols))
            {
                return;
            }

            foreach (var root in block.OperationBlocks)
            {
                if (root is not (IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation) || !CallsContract(root, symbols))
                {
                    continue;
                }

                try
                {
                    var graph = block.GetControlFlowGraph(root);
                    if (bodies is null)
                    {
                        TypestateAnalysis.Run(graph, new MethodScope(symbols, block.OwningSymbol, null), new DiagnosticSink(block.ReportDiagnostic));
                    }
                    else
                    {
                        bodies.Add(block.OwningSymbol, root, graph);
                    }
                }
                catch (System.Exception exception) when (exception is not System.OperationCanceledException)
                {
                    block.ReportDiagnostic(AnalyzerGuard.InternalError(block.OwningSymbol, exception));
                }
            }
        });

        if (bodies is not null)
        {
            context.RegisterSymbolEndAction(end => bodies.Analyze(
                new DiagnosticSink(end.ReportDiagnostic),
                (member, exception) => end.ReportDiagnostic(AnalyzerGuard.InternalError(member, exception))));
        }
    }

    // The prefilter: no annotated call, no graph.
    private static bool CallsContract(IOperation root, ContractSymbols symbols)
        => root.DescendantsAndSelf().OfType<IInvocationOperation>().Any(i => symbols.IsAnnotated(i.TargetMethod));
}
