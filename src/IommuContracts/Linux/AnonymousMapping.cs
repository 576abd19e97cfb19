using System.Numerics;
using IommuContracts.Contracts;

namespace IommuContracts.Linux;

/// <summary>
/// Private anonymous read-write memory from mmap(2), at an address that never moves: what the user pointers
/// inside ioctl structs (<c>user_va</c>, <c>allowed_iovas</c>, <c>data_uptr</c>, ...) should point at. The
/// real-process twin of <c>SimulatedProcess.Mmap</c>; read and write it with <see cref="LinuxProcessMemory"/>.
/// </summary>
/// <remarks>
/// The lifetime is explicit, as with mmap in C: nothing unmaps the memory until <see cref="Dispose"/>, even
/// when this object is no longer referenced, because the kernel (an IOAS mapping) or the caller may still use
/// the address. Pages the kernel pinned stay pinned after munmap until they are unmapped from the IOAS.
/// </remarks>
public sealed class AnonymousMapping : IDisposable
{
    private readonly ILinuxSyscalls _syscalls;
    private readonly nuint _mappedAddress;
    private readonly nuint _mappedLength;
    private int _disposed;

    private AnonymousMapping(ILinuxSyscalls syscalls, nuint address, nuint length)
    {
        _syscalls = syscalls;
        _mappedAddress = address;
        _mappedLength = length;
    }

    /// <summary>The first byte, aligned as requested.</summary>
    public ulong Address => _mappedAddress;

    /// <summary>The length in bytes, rounded up to whole pages.</summary>
    public ulong Length => _mappedLength;

    /// <summary>
    /// Maps <paramref name="length"/> bytes (rounded up to pages), zero-filled, starting at a multiple of
    /// <paramref name="alignment"/> (a power of two; at least the page size is used), e.g. 2 MiB for guest RAM
    /// that the IOMMU can map with huge pages. EINVAL for a zero length or a bad alignment, ENOMEM when the
    /// address space or RLIMIT_AS runs out, <see cref="LinuxIoctlFile.UnsupportedPlatformErrno"/> off Linux.
    /// </summary>
    [MustCheck]
    public static Errno Map(ulong length, out AnonymousMapping? mapping, ulong alignment = 0)
        => Map(LinuxSyscalls.Current, length, alignment, out mapping);

    internal static Errno Map(ILinuxSyscalls syscalls, ulong length, ulong alignment, out AnonymousMapping? mapping)
    {
        mapping = null;
        var pageSize = (ulong)Environment.SystemPageSize;
        alignment = Math.Max(alignment, pageSize);
        if (length == 0 || !BitOperations.IsPow2(alignment))
        {
            return Errno.EINVAL;
        }

        if (length > ulong.MaxValue - alignment)
        {
            return Errno.ENOMEM;
        }

        var rounded = (length + pageSize - 1) & ~(pageSize - 1);

        // mmap only promises page alignment: map the slack too, then give back what lies outside the aligned window.
        var slack = alignment - pageSize;
        var mapped = syscalls.MapAnonymous((nuint)(rounded + slack), out var start);
        if (mapped != Errno.None)
        {
            return mapped;
        }

        var aligned = (start + (nuint)alignment - 1) & ~((nuint)alignment - 1);
        var head = aligned - start;
        var tail = (nuint)slack - head;
        if (head != 0)
        {
            syscalls.Unmap(start, head);
        }

        if (tail != 0)
        {
            syscalls.Unmap(aligned + (nuint)rounded, tail);
        }

        mapping = new AnonymousMapping(syscalls, aligned, (nuint)rounded);
        return Errno.None;
    }

    /// <summary>munmap. Unmapping again does nothing; later reads and writes of the range are EFAULT.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _syscalls.Unmap(_mappedAddress, _mappedLength);
        }
    }

    /// <inheritdoc />
    public override string ToString() => $"[0x{Address:X}, +0x{Length:X})";
}
