using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IommuContracts.Contracts;

namespace IommuContracts.Ioctl;

/// <summary>
/// Size negotiation, copy-in, validation and copy-back for every command, written once and used by every
/// generated dispatcher. Each step answers with the kernel's errno for the same mistake.
/// </summary>
public static class IoctlArguments
{
    /// <summary>Reads the leading u32 (size or argsz); EFAULT if the argument is unreadable.</summary>
    public static Errno ReadLeadingSize(IUserMemory memory, ulong address, out uint size)
    {
        Span<byte> bytes = stackalloc byte[sizeof(uint)];
        var result = memory.CopyFromUser(address, bytes);
        size = result == Errno.None ? BinaryPrimitives.ReadUInt32LittleEndian(bytes) : 0;
        return result;
    }

    /// <summary>
    /// Reads and validates <typeparamref name="T"/> as the kernel would before calling the handler. When
    /// the call already carries the leading size (the iommufd table read it), it is not read again.
    /// </summary>
    public static Errno Receive<T>(ref IoctlCall call, out T value)
        where T : unmanaged, IIoctlStruct<T>
    {
        var layout = T.Layout;
        if (layout.CopyIn == IoctlCopyIn.CopyStruct)
        {
            var copied = CopyStructFromUser(ref call, out value);
            if (copied != Errno.None)
            {
                return copied;
            }

            return ValidateOrReport(ref call, ref value);
        }

        return CopyMinimumFromUser(ref call, out value);
    }

    /// <summary>
    /// Finishes a call after its handler: on success copies the response back (unless the handler already
    /// did) and returns 0; on failure returns <c>-errno</c>, after reporting the struct for commands that
    /// report progress on error. A fault while copying back is EFAULT.
    /// </summary>
    public static int Complete<T>(ref IoctlCall call, ref T value, Errno result)
        where T : unmanaged, IIoctlStruct<T>
    {
        var layout = T.Layout;
        var mustRespond = (result == Errno.None && layout.Response != IoctlResponse.None) || layout.ReportsOnError;
        if (mustRespond && !call.HasResponded && call.Respond(in value) != Errno.None)
        {
            return Errno.EFAULT.ToSyscallResult();
        }

        return result.ToSyscallResult();
    }

    /// <summary>
    /// Writes the response the command's layout asks for. For commands that answer only from their handler
    /// (<see cref="IoctlResponse.None"/>) an explicit response is what the convention answers with: the
    /// whole struct for iommufd, the output fields for VFIO.
    /// </summary>
    public static Errno WriteResponse<T>(IUserMemory memory, ulong address, uint userSize, in T value)
        where T : unmanaged, IIoctlStruct<T>
    {
        var layout = T.Layout;
        var response = layout.Response != IoctlResponse.None
            ? layout.Response
            : layout.Convention == IoctlConvention.Iommufd ? IoctlResponse.WholeStruct : IoctlResponse.OutputFields;
        switch (response)
        {
            case IoctlResponse.WholeStruct:
                var length = (int)Math.Min(userSize, (uint)Unsafe.SizeOf<T>());
                return memory.CopyToUser(address, BytesOf(in value)[..length]);
            case IoctlResponse.OutputFields:
                return T.WriteOutputFields(memory, address, in value);
            default:
                return Errno.None;
        }
    }

    /// <summary>Writes one field of a response at <paramref name="address"/> (used by generated output writers).</summary>
    public static Errno WriteField<TField>(IUserMemory memory, ulong address, in TField value)
        where TField : unmanaged
        => memory.CopyToUser(address, MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in value, 1)));

    /// <summary>The raw bytes of a struct, as user space would lay them out.</summary>
    public static ReadOnlySpan<byte> BytesOf<T>(in T value)
        where T : unmanaged
        => MemoryMarshal.AsBytes(MemoryMarshal.CreateReadOnlySpan(in value, 1));

    /// <summary>The writable bytes of a struct.</summary>
    public static Span<byte> MutableBytesOf<T>(ref T value)
        where T : unmanaged
        => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref value, 1));

    /// <summary>
    /// Stores a user pointer (<paramref name="address"/>) as the little-endian u64 at <paramref name="pointerOffset"/>
    /// of an ioctl argument: what every <see cref="IIoctlFile"/> does before an ioctl with a second buffer.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The u64 does not fit inside <paramref name="argument"/>.</exception>
    public static void WriteUserPointer(Span<byte> argument, int pointerOffset, ulong address)
    {
        if (pointerOffset < 0 || pointerOffset > argument.Length - sizeof(ulong))
        {
            throw new ArgumentOutOfRangeException(nameof(pointerOffset), pointerOffset,
                $"The user pointer must lie inside the {argument.Length}-byte argument.");
        }

        System.Buffers.Binary.BinaryPrimitives.WriteUInt64LittleEndian(argument[pointerOffset..], address);
    }

    // copy_struct_from_user: size below the minimum is EINVAL; bytes past sizeof must be zero (E2BIG);
    // a shorter struct is zero-filled.
    private static Errno CopyStructFromUser<T>(ref IoctlCall call, out T value)
        where T : unmanaged, IIoctlStruct<T>
    {
        value = default;
        if (!call.HasUserSize)
        {
            var read = ReadLeadingSize(call.Memory, call.Address, out var size);
            if (read != Errno.None)
            {
                return read;
            }

            call.UserSize = size;
        }

        var userSize = call.UserSize;
        if (userSize < (uint)T.Layout.MinimumSize)
        {
            return Errno.EINVAL;
        }

        var nativeSize = (uint)Unsafe.SizeOf<T>();
        if (userSize > nativeSize)
        {
            var tail = CheckZeroed(call.Memory, call.Address + nativeSize, userSize - nativeSize);
            if (tail != Errno.None)
            {
                return tail;
            }
        }

        var length = (int)Math.Min(userSize, nativeSize);
        return call.Memory.CopyFromUser(call.Address, MutableBytesOf(ref value)[..length]);
    }

    // VFIO's form: read the minimum, then argsz and flags (EINVAL), then only the tails the flags ask for.
    private static Errno CopyMinimumFromUser<T>(ref IoctlCall call, out T value)
        where T : unmanaged, IIoctlStruct<T>
    {
        value = default;
        var minimum = T.Layout.MinimumSize;
        var bytes = MutableBytesOf(ref value);
        var read = call.Memory.CopyFromUser(call.Address, bytes[..minimum]);
        if (read != Errno.None)
        {
            return read;
        }

        call.UserSize = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
        if (call.UserSize < (uint)minimum)
        {
            return Errno.EINVAL;
        }

        var invalid = T.ValidateFields(in value);
        if (invalid != Errno.None)
        {
            return invalid;
        }

        var required = T.RequiredSize(in value);
        if (required <= minimum)
        {
            return Errno.None;
        }

        if (call.UserSize < (uint)required)
        {
            return Errno.EINVAL;
        }

        return call.Memory.CopyFromUser(call.Address + (ulong)minimum, bytes[minimum..required]);
    }

    private static Errno ValidateOrReport<T>(ref IoctlCall call, ref T value)
        where T : unmanaged, IIoctlStruct<T>
    {
        var invalid = T.ValidateFields(in value);
        if (invalid == Errno.None || !T.Layout.ReportsOnError)
        {
            return invalid;
        }

        // The handler never ran, so the progress it would report is zero.
        T.ClearReportedFields(ref value);
        return call.Respond(in value) != Errno.None ? Errno.EFAULT : invalid;
    }

    /// <summary>check_zeroed_user: EFAULT if unreadable, E2BIG at the first non-zero byte (read in page-sized chunks).</summary>
    public static Errno CheckZeroed(IUserMemory memory, ulong address, ulong length)
    {
        const int Chunk = 4096;
        Span<byte> buffer = stackalloc byte[Chunk];
        ulong offset = 0;
        while (offset < length)
        {
            var count = (int)Math.Min(Chunk, length - offset);
            var slice = buffer[..count];
            var read = memory.CopyFromUser(address + offset, slice);
            if (read != Errno.None)
            {
                return read;
            }

            if (slice.IndexOfAnyExcept((byte)0) >= 0)
            {
                return Errno.E2BIG;
            }

            offset += (ulong)count;
        }

        return Errno.None;
    }
}
