namespace IommuContracts.Fuzz;

/// <summary>A broken promise of the engine found by a fuzz input (the engine itself threw nothing).</summary>
public sealed class FuzzFindingException : Exception
{
    public FuzzFindingException(string message)
        : base(message)
    {
    }

    public FuzzFindingException()
    {
    }

    public FuzzFindingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
