using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace IommuContracts.Ioctl;

/// <summary>The user-space half: what every generated stub calls. Fills in size / argsz and maps the result to <see cref="Errno"/>.</summary>
public static class IoctlClient
{
    /// <summary>Issues the command with <paramref name="argument"/> as its struct: fills in its size, copies the outputs back into it.</summary>
    /// <typeparam name="T">The generated command struct.</typeparam>
    /// <param name="file">The open /dev/iommu or VFIO device file.</param>
    /// <param name="argument">The struct; updated with the kernel's outputs.</param>
    /// <returns><see cref="Errno.None"/>, or the errno the command failed with.</returns>
    public static Errno Invoke<T>(IIoctlFile file, ref T argument)
        where T : unmanaged, IIoctlStruct<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        var bytes = IoctlArguments.MutableBytesOf(ref argument);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)Unsafe.SizeOf<T>());
        return ErrnoExtensions.FromSyscallResult(file.Ioctl(T.Layout.Command, bytes));
    }

    /// <summary>
    /// Like <see cref="Invoke{T}(IIoctlFile, ref T)"/> for a struct whose u64 at <paramref name="pointerOffset"/> is a
    /// user pointer to <paramref name="buffer"/>: the file places the buffer where the kernel can reach it and stores
    /// its address there (see <see cref="IIoctlFile.Ioctl(uint, Span{byte}, int, Span{byte})"/>).
    /// </summary>
    public static Errno Invoke<T>(IIoctlFile file, ref T argument, int pointerOffset, Span<byte> buffer)
        where T : unmanaged, IIoctlStruct<T>
    {
        ArgumentNullException.ThrowIfNull(file);
        var bytes = IoctlArguments.MutableBytesOf(ref argument);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)Unsafe.SizeOf<T>());
        return ErrnoExtensions.FromSyscallResult(file.Ioctl(T.Layout.Command, bytes, pointerOffset, buffer));
    }

    /// <summary>Issues a command whose argument is a plain integer rather than a struct pointer.</summary>
    /// <typeparam name="T">The generated command struct that declares the command.</typeparam>
    /// <param name="file">The open file.</param>
    /// <param name="value">The integer argument.</param>
    /// <param name="result">The non-negative value the ioctl returned; 0 on failure.</param>
    /// <returns><see cref="Errno.None"/>, or the errno the command failed with.</returns>
    public static Errno InvokeValue<T>(IIoctlFile file, ulong value, out int result)
        where T : IIoctlCommand
    {
        ArgumentNullException.ThrowIfNull(file);
        var returned = file.Ioctl(T.Layout.Command, value);
        result = Math.Max(returned, 0);
        return ErrnoExtensions.FromSyscallResult(returned);
    }
}
