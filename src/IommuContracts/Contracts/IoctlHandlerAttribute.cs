namespace IommuContracts.Contracts;

/// <summary>
/// Marks the method that handles one command. Allowed shapes: <c>Errno M(ref T arg)</c>,
/// <c>Errno M(ref T arg, ref IoctlCall call)</c> for struct commands, and <c>int M(ulong value)</c> for
/// value commands, where <c>T</c> is <c>command</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Method, Inherited = false)]
public sealed class IoctlHandlerAttribute : Attribute
{
    /// <summary>Binds the method to the command declared by <paramref name="command"/>.</summary>
    /// <param name="command">The <see cref="IoctlCommandAttribute"/> struct the method handles.</param>
    public IoctlHandlerAttribute(Type command) => Command = command;

    /// <summary>The <see cref="IoctlCommandAttribute"/> struct the method handles.</summary>
    public Type Command { get; }
}
