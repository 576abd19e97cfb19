using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// Why a finally region is running: the branch that left its try (and where it goes after the finally), or an
/// explicit throw that propagates through it. Each reason is analysed on its own, so a finally that releases on the
/// error path is not mixed up with the same finally on the happy path. Nested finally regions chain to the context
/// of the finally they run inside.
/// </summary>
internal sealed class FinallyContext
{
    public FinallyContext(int id, ControlFlowRegion region, BasicBlock origin, ControlFlowBranch? branch, int finallyIndex, ControlFlowRegion? throwingFrom, FinallyContext? parent,
        Location? thrownAt)
    {
        ThrownAt = thrownAt;
        Id = id;
        Region = region;
        Origin = origin;
        Branch = branch;
        FinallyIndex = finallyIndex;
        ThrowingFrom = throwingFrom;
        Parent = parent;
    }

    public int Id { get; }

    /// <summary>The finally region.</summary>
    public ControlFlowRegion Region { get; }

    /// <summary>The block whose branch or throw entered it (where a leak on that path is reported).</summary>
    public BasicBlock Origin { get; }

    /// <summary>The branch that left the try (null for a throw).</summary>
    public ControlFlowBranch? Branch { get; }

    /// <summary>Which of the branch's finally regions this is.</summary>
    public int FinallyIndex { get; }

    /// <summary>For a throw: the try-finally region it propagates out of once the finally ends.</summary>
    public ControlFlowRegion? ThrowingFrom { get; }

    /// <summary>For a throw from a call: where it is (the throw's own location otherwise comes from the block).</summary>
    public Location? ThrownAt { get; }

    /// <summary>The context of the finally region this one runs inside, if any.</summary>
    public FinallyContext? Parent { get; }

    public bool Contains(int ordinal) => ordinal >= Region.FirstBlockOrdinal && ordinal <= Region.LastBlockOrdinal;
}
