using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace IommuContracts.Ioctl;

/// <summary>The user-space half: what every generated stub calls. Fills in size / argsz and maps the result to <see cref="Errno"/>.</summary>
public static class IoctlClient
{
    public static Errno Invoke<T>(IIoctlFile file, ref T argument)
        where T : unmanaged, IIoctlStruct<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        var bytes = IoctlArguments.MutableBytesOf(ref argument);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)Unsafe.SizeOf<T>());
        return ErrnoExtensions.FromSyscallResult(file.Ioctl(T.Layout.Command, bytes));
    }

    public static Errno InvokeValue<T>(IIoctlFile file, ulong value, out int result)
        where T : IIoctlCommand
    {
        ArgumentNullException.ThrowIfNull(file);
        var returned = file.Ioctl(T.Layout.Command, value);
        result = Math.Max(returned, 0);
        return ErrnoExtensions.FromSyscallResult(returned);
    }
}
