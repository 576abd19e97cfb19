using IommuContracts.Ioctl;

namespace IommuContracts.Engine.Core;

/// <summary>
/// copy_struct_from_user / copy_struct_to_user for driver data whose length user space chose: the kernel
/// struct and the user's may differ in size, in either direction.
/// </summary>
internal static class UserStructs
{
    /// <summary>A shorter user struct is zero-filled; a longer one must be zero past the kernel's (E2BIG); EFAULT if unreadable.</summary>
    public static Errno CopyFrom(IUserMemory memory, ulong address, ulong userLength, Span<byte> destination)
    {
        destination.Clear();
        var size = (ulong)destination.Length;
        if (userLength > size)
        {
            var zeroed = IoctlArguments.CheckZeroed(memory, address + size, userLength - size);
            if (zeroed != Errno.None)
            {
                return zeroed;
            }
        }

        var length = (int)Math.Min(userLength, size);
        return memory.CopyFromUser(address, destination[..length]) != Errno.None ? Errno.EFAULT : Errno.None;
    }

    /// <summary>Writes what fits of the kernel struct and zeroes the rest of a longer user struct; EFAULT if unwritable.</summary>
    public static Errno CopyTo(IUserMemory memory, ulong address, ulong userLength, ReadOnlySpan<byte> source)
    {
        var length = (int)Math.Min(userLength, (ulong)source.Length);
        if (memory.CopyToUser(address, source[..length]) != Errno.None)
        {
            return Errno.EFAULT;
        }

        Span<byte> zeros = stackalloc byte[256];
        zeros.Clear();
        for (var offset = (ulong)length; offset < userLength;)
        {
            var count = (int)Math.Min((ulong)zeros.Length, userLength - offset);
            if (memory.CopyToUser(address + offset, zeros[..count]) != Errno.None)
            {
                return Errno.EFAULT;
            }

            offset += (ulong)count;
        }

        return Errno.None;
    }
}
