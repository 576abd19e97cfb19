using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// One way out of an analysed body: the state there, where it is (a return, a throw, the closing brace), whether
/// it leaves by an exception, and, for a method whose Errno or bool result tells success from failure, which one
/// it returns on this path (null: either).
/// </summary>
internal readonly struct MethodExit
{
    public MethodExit(FlowState state, Location at, bool thrown, bool? succeeded, HandleFacts? returned)
    {
        State = state;
        At = at;
        Thrown = thrown;
        Succeeded = succeeded;
        Returned = returned;
    }

    public FlowState State { get; }

    public Location At { get; }

    public bool Thrown { get; }

    public bool? Succeeded { get; }

    /// <summary>The facts of the handle it returns, when its return type is a handle type.</summary>
    public HandleFacts? Returned { get; }

    public int Line => At.GetLineSpan().StartLinePosition.Line + 1;
}
