using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using IommuContracts.Analyzers.Infrastructure;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// The summaries of the compilation's methods, each computed once, on first need: by the method's own analysis (from
/// the graph the analyzer driver built) or by a caller that reaches it first (from its syntax). Analyzer callbacks run
/// concurrently, so nothing here blocks: two threads may compute the same summary, and the first to finish publishes it.
/// </summary>
/// <remarks>
/// Summaries are computed depth first from each caller. Recursion is cut to <see cref="MethodSummary.Unknown"/>
/// deterministically: the walk keeps Tarjan's stack, a call to a method of the strongly connected component still being
/// explored gets the unknown summary, and the component's summaries are published only when its root finishes, so
/// every method of a recursive cycle sees every other as unknown whichever one was asked for first. Past
/// <see cref="MaxDepth"/> nested computations a callee is unknown too, and what depended on that is not published.
/// </remarks>
internal sealed class SummaryCache
{
    public const int MaxDepth = 24;

    private readonly Compilation _compilation;
    private readonly ContractSymbols _symbols;
    private readonly SymbolCache<IMethodSymbol, BodyResult> _published = new();
    private readonly SymbolCache<INamedTypeSymbol, bool> _typesDeclaringHandleFields = new();

    // The walk of the callback running on this thread (callbacks do not nest, so one per thread at a time).
    [ThreadStatic]
    private static Walk? t_walk;

    public SummaryCache(Compilation compilation, ContractSymbols symbols)
    {
        _compilation = compilation;
        _symbols = symbols;
    }

    /// <summary>Whether a method of <paramref name="type"/> can change handles kept in its fields (its own or inherited).</summary>
    public bool HasHandleFields(INamedTypeSymbol type)
    {
        // Asked per level, so every type's answer is computed once however many types derive from it (System.Object's
        // members were read again for each type that asked).
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (DeclaresHandleFields(current))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether <paramref name="type"/> itself declares handle fields (its members are reported by <see cref="TypeBodies"/>).</summary>
    public bool DeclaresHandleFields(INamedTypeSymbol type)
        => _typesDeclaringHandleFields.GetOrAdd(type, static (t, symbols) => !TypeBodies.HandleFields(t, symbols).IsEmpty, _symbols);

    /// <summary>Records what the analyzer found when it started <paramref name="type"/>, so the type's fields are read once.</summary>
    public void RecordHandleFields(INamedTypeSymbol type, bool declares) => _typesDeclaringHandleFields.TryAdd(type, declares);

    /// <summary>
    /// The summary of <paramref name="method"/>, or null when it has no body here to infer one from (it is outside the
    /// compilation, abstract, extern, or of an annotated API, whose declared contracts are all there is).
    /// </summary>
    public MethodSummary? SummaryOf(IMethodSymbol method, LocalFunctionGraphs? localFunctions, CancellationToken cancellation)
    {
        method = method.PartialImplementationPart ?? method;
        if (_published.TryGetValue(method, out var done))
        {
            return done.Summary;
        }

        if (!CanSummarize(method))
        {
            return null;
        }

        var walk = CurrentWalk();
        if (walk.Active.TryGetValue(method, out var active))
        {
            // A call into the component still being explored (recursion): cut.
            walk.Caller?.Lower(active.Index);
            return MethodSummary.Unknown;
        }

        if (walk.Path.Count >= MaxDepth)
        {
            walk.CutAll();
            return MethodSummary.Unknown;
        }

        ControlFlowGraph? graph;
        if (method.MethodKind == MethodKind.LocalFunction)
        {
            graph = localFunctions?.GraphOf(method);
        }
        else
        {
            graph = GraphFromSyntax(method, cancellation);
        }

        if (graph is null)
        {
            return null;
        }

        var frame = Explore(method, graph, walk, checkedForErrors: false, cancellation);
        return frame.Published ? frame.Result!.Summary : MethodSummary.Unknown;
    }

    /// <summary>The result already computed for <paramref name="method"/> (by a caller that reached it first), if any.</summary>
    public bool TryGetPublished(IMethodSymbol method, out BodyResult result)
    {
        if (_published.TryGetValue(method.PartialImplementationPart ?? method, out var done))
        {
            result = done;
            return true;
        }

        result = null!;
        return false;
    }

    /// <summary>
    /// The result for a body the caller holds the graph of (the analyzer's own callback for the method), which has
    /// already passed <see cref="BodyCheck.HasErrors"/>.
    /// </summary>
    public BodyResult ResultOf(IMethodSymbol method, ControlFlowGraph graph, CancellationToken cancellation)
    {
        if (_published.TryGetValue(method, out var done))
        {
            return done;
        }

        var walk = CurrentWalk();
        if (walk.Active.ContainsKey(method))
        {
            // Cannot happen from a callback (they do not nest); analyse it without the cache rather than recurse.
            return Analyze(method, graph, checkedForErrors: true, cancellation);
        }

        return Explore(method, graph, walk, checkedForErrors: true, cancellation).Result!;
    }

    private Walk CurrentWalk()
    {
        if (t_walk is not { } walk || (walk.Owner != this && walk.Path.Count == 0))
        {
            t_walk = walk = new Walk(this);
        }

        return walk.Owner == this ? walk : new Walk(this);
    }

    // Analyses the body as a frame of the depth-first walk; publishes its component when it is the component's root.
    private Frame Explore(IMethodSymbol method, ControlFlowGraph graph, Walk walk, bool checkedForErrors, CancellationToken cancellation)
    {
        var frame = walk.Push(method);
        try
        {
            frame.Result = Analyze(method, graph, checkedForErrors, cancellation);
        }
        catch
        {
            walk.Abandon(frame);
            throw;
        }

        walk.Path.RemoveAt(walk.Path.Count - 1);
        if (frame.LowLink < frame.Index)
        {
            // Part of a component whose root is below: published with it.
            walk.Caller?.Lower(frame.LowLink);
            return frame;
        }

        foreach (var member in walk.PopComponent(frame))
        {
            if (!member.Cut)
            {
                _published.TryAdd(member.Method, member.Result!);
                member.Published = true;
            }
        }

        if (!frame.Published)
        {
            walk.Caller?.MarkCut();
        }

        return frame;
    }

    private BodyResult Analyze(IMethodSymbol method, ControlFlowGraph graph, bool checkedForErrors, CancellationToken cancellation)
    {
        var diagnostics = new List<Diagnostic>();
        try
        {
            if ((!checkedForErrors && BodyCheck.HasErrors(graph.OriginalOperation)) || AnalyzerGuard.IsSuppressed(method, _symbols))
            {
                return new BodyResult(MethodSummary.Unknown, ImmutableArray<Diagnostic>.Empty, null);
            }

            var dependence = new FieldDependence();
            var scope = new MethodScope(_symbols, method, fieldEntryStates: null, this, new LocalFunctionGraphs(graph), cancellation, dependence: dependence);
            // A member of a type that declares handle fields is reported by the type's field passes once it depends on
            // the fields; this analysis's reports are wanted only while it does not.
            var summary = TypestateAnalysis.Run(graph, scope, new DiagnosticSink(diagnostics.Add), fieldPassesReport: DeclaresHandleFields(method.ContainingType));
            return new BodyResult(summary, diagnostics.ToImmutableArray(), null, dependence.Found);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            return new BodyResult(MethodSummary.Unknown, ImmutableArray<Diagnostic>.Empty, exception);
        }
    }

    private bool CanSummarize(IMethodSymbol method)
    {
        if (method.IsAbstract || method.IsExtern || method.DeclaringSyntaxReferences.IsEmpty
            || method.MethodKind is not (MethodKind.Ordinary or MethodKind.Constructor or MethodKind.LocalFunction or MethodKind.PropertyGet
                or MethodKind.PropertySet or MethodKind.ExplicitInterfaceImplementation)
            || _symbols.IsAnnotatedApi(method.ContainingType))
        {
            return false;
        }

        return SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly);
    }

#pragma warning disable RS1030 // Interprocedural summaries need the body of a method other than the one being analysed.
    private ControlFlowGraph? GraphFromSyntax(IMethodSymbol method, CancellationToken cancellation)
    {
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var node = reference.GetSyntax(cancellation);
            if (!_compilation.ContainsSyntaxTree(node.SyntaxTree))
            {
                continue;
            }

            var operation = _compilation.GetSemanticModel(node.SyntaxTree).GetOperation(node, cancellation);
            switch (operation)
            {
                case IMethodBodyOperation body:
                    return ControlFlowGraph.Create(body, cancellation);
                case IConstructorBodyOperation constructor:
                    return ControlFlowGraph.Create(constructor, cancellation);
                case IBlockOperation { Parent: null } block:
                    return ControlFlowGraph.Create(block, cancellation);
            }
        }

        return null;
    }
#pragma warning restore RS1030

    private sealed class Frame
    {
        public Frame(IMethodSymbol method, int index)
        {
            Method = method;
            Index = index;
            LowLink = index;
        }

        public IMethodSymbol Method { get; }

        public int Index { get; }

        public int LowLink { get; private set; }

        public BodyResult? Result { get; set; }

        /// <summary>Something it depended on was cut at the depth limit: not published.</summary>
        public bool Cut { get; private set; }

        public bool Published { get; set; }

        public void Lower(int index) => LowLink = Math.Min(LowLink, index);

        public void MarkCut() => Cut = true;
    }

    // One thread's depth-first walk: the frames being computed (Path) and Tarjan's stack of frames not yet published.
    private sealed class Walk
    {
        private int _next;

        public Walk(SummaryCache owner) => Owner = owner;

        public SummaryCache Owner { get; }

        public List<Frame> Path { get; } = new();

        public List<Frame> Stack { get; } = new();

        public Dictionary<IMethodSymbol, Frame> Active { get; } = new(SymbolEqualityComparer.Default);

        public Frame? Caller => Path.Count == 0 ? null : Path[Path.Count - 1];

        public Frame Push(IMethodSymbol method)
        {
            var frame = new Frame(method, _next++);
            Path.Add(frame);
            Stack.Add(frame);
            Active[method] = frame;
            return frame;
        }

        public void CutAll()
        {
            foreach (var frame in Path)
            {
                frame.MarkCut();
            }
        }

        public List<Frame> PopComponent(Frame root)
        {
            var start = Stack.IndexOf(root);
            var component = Stack.GetRange(start, Stack.Count - start);
            Stack.RemoveRange(start, Stack.Count - start);
            foreach (var member in component)
            {
                Active.Remove(member.Method);
            }

            if (Path.Count == 0)
            {
                _next = 0;
            }

            return component;
        }

        // A cancelled or failed walk leaves nothing behind for the next callback on this thread.
        public void Abandon(Frame frame)
        {
            var start = Stack.IndexOf(frame);
            foreach (var member in Stack.Skip(start))
            {
                Active.Remove(member.Method);
            }

            Stack.RemoveRange(start, Stack.Count - start);
            var at = Path.IndexOf(frame);
            Path.RemoveRange(at, Path.Count - at);
        }
    }
}
