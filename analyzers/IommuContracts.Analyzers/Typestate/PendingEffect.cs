using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// A handle effect that depends on whether a call succeeded: until a branch tests the call's Errno the
/// handle holds <see cref="Either"/>; the branch that knows the outcome narrows it to
/// <see cref="Success"/> or <see cref="Failure"/>, unless something changed the handle since.
/// </summary>
internal sealed class PendingEffect
{
    public PendingEffect(ISymbol handle, HandleFacts either, HandleFacts success, HandleFacts failure)
    {
        Handle = handle;
        Either = either;
        Success = success;
        Failure = failure;
    }

    public ISymbol Handle { get; }

    public HandleFacts Either { get; }

    public HandleFacts Success { get; }

    public HandleFacts Failure { get; }
}
