namespace IommuContracts.Contracts;

/// <summary>
/// Marks a <c>partial class</c> whose <see cref="IoctlHandlerAttribute"/> methods form one file's ioctl
/// table. The generator emits <c>int Dispatch(IUserMemory memory, uint command, ulong argument)</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, Inherited = false)]
public sealed class IoctlDispatcherAttribute : Attribute
{
}
