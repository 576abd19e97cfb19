namespace IommuContracts.Contracts;

/// <summary>
/// Marks the method that handles one command. Allowed shapes: <c>Errno M(ref T arg)</c>,
/// <c>Errno M(ref T arg, ref IoctlCall call)</c> for struct commands, and <c>int M(ulong value)</c> for
/// value commands, where <c>T</c> is <c>command</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IoctlHandlerAttribute : Attribute
{
    public IoctlHandlerAttribute(Type command) => Command = command;

    public Type Command { get; }
}
