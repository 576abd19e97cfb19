using System.Collections.Immutable;
using IommuContracts.Analyzers.Infrastructure;
using IommuContracts.Analyzers.Typestate;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Rules;

/// <summary>
/// The flow-sensitive handle rules: touching a device before bind, use after unbind / destroy / put, outputs
/// used before the result was checked, unbind while attached, attach / replace / detach in the wrong state,
/// leaks on some or all paths, fields never released, access state, VFIO ioctls before BIND, and maps at a
/// fixed IOVA after the usable ranges changed. Every method of the compilation that touches a handle gets a summary
/// (computed once, on first need, and shared by every caller); a control-flow graph is built only for such bodies.
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
        var summaries = new SummaryCache(start.Compilation, symbols);
        start.RegisterSymbolStartAction(typeStart => StartType(typeStart, symbols, summaries), SymbolKind.NamedType);
    }

    private static void StartType(SymbolStartAnalysisContext context, ContractSymbols symbols, SummaryCache summaries)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        var fields = TypeBodies.HandleFields(type, symbols);
        var bodies = fields.IsEmpty ? null : new TypeBodies(symbols, fields, summaries);
        summaries.RecordHandleFields(type, !fields.IsEmpty);
        var hasHandleFields = summaries.HasHandleFields(type);

        context.RegisterOperationBlockAction(block =>
        {
            if (AnalyzerGuard.IsSuppressed(block.OwningSymbol, symbols))
            {
                return;
            }

            using var memo = GraphMemo.Enter();
            foreach (var root in block.OperationBlocks)
            {
                if (root is not (IMethodBodyOperation or IConstructorBodyOperation or IBlockOperation)
                    || !HandleUse.Touches(root, symbols, hasHandleFields) || BodyCheck.HasErrors(root))
                {
                    continue;
                }

                try
                {
                    if (bodies is null && block.OwningSymbol is IMethodSymbol analysed && summaries.TryGetPublished(analysed, out var published))
                    {
                        // A caller got here first and analysed the body from its syntax: its result stands, no second graph.
                        Report(block, analysed, published);
                        continue;
                    }

                    var graph = block.GetControlFlowGraph(root);
                    if (bodies is not null)
                    {
                        bodies.Add(block.OwningSymbol, graph);
                    }
                    else if (block.OwningSymbol is IMethodSymbol method)
                    {
                        Report(block, method, summaries.ResultOf(method, graph, block.CancellationToken));
                    }
                    else
                    {
                        var scope = new MethodScope(symbols, block.OwningSymbol, null, summaries, new LocalFunctionGraphs(graph), block.CancellationToken);
                        TypestateAnalysis.Report(graph, scope, new DiagnosticSink(block.ReportDiagnostic));
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
            context.RegisterSymbolEndAction(end =>
            {
                using var memo = GraphMemo.Enter();
                bodies.Analyze(
                    new DiagnosticSink(end.ReportDiagnostic),
                    (member, exception) => end.ReportDiagnostic(AnalyzerGuard.InternalError(member, exception)),
                    end.CancellationToken);
            });
        }
    }

    private static void Report(OperationBlockAnalysisContext block, IMethodSymbol method, BodyResult result)
    {
        foreach (var diagnostic in result.Diagnostics)
        {
            block.ReportDiagnostic(diagnostic);
        }

        if (result.Failure is { } failure)
        {
            block.ReportDiagnostic(AnalyzerGuard.InternalError(method, failure));
        }
    }
}
