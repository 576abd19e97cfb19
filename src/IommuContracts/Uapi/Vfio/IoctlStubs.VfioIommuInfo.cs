using System.Buffers.Binary;
using System.Runtime.InteropServices;
using IommuContracts.Contracts;

namespace IommuContracts.Uapi;

public static partial class IoctlStubs
{
    private const int CapHeaderSize = 8;
    private const int IovaRangeCapSize = 16;
    private const int DmaAvailCapSize = 12;

    /// <summary>
    /// VFIO_IOMMU_GET_INFO with its capability chain read and decoded: asks with the bare struct, learns from argsz
    /// how much room the chain needs, and asks again with that much (again, a few times, if the chain keeps growing).
    /// The container's errno otherwise (ENODEV / EINVAL before VFIO_SET_IOMMU); EIO if the kernel's chain points
    /// outside its own argsz or backwards. <paramref name="info"/> is null on error.
    /// </summary>
    [MustCheck]
    public static Errno VfioIommuGetInfo(this IIoctlFile file, out VfioIommuInfo? info)
    {
        ArgumentNullException.ThrowIfNull(file);
        info = null;
        var bytes = new byte[VfioIommuType1Info.NativeSize];
        for (var attempt = 0; attempt < MaxProbeAttempts; attempt++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)bytes.Length);
            var result = ErrnoExtensions.FromSyscallResult(file.Ioctl(VfioIommuType1Info.Command, bytes));
            if (result != Errno.None)
            {
                return result;
            }

            var needed = BinaryPrimitives.ReadUInt32LittleEndian(bytes);
            if (needed <= bytes.Length)
            {
                return DecodeIommuInfo(bytes, out info);
            }

            bytes = new byte[needed];
        }

        // The chain kept growing: answer with what the last call could hold.
        return DecodeIommuInfo(bytes, out info);
    }

    // The chain is a linked list of headers at offsets from the start of the struct; each must lie inside what the
    // kernel wrote and after the previous one, so a corrupt chain cannot loop.
    private static Errno DecodeIommuInfo(ReadOnlySpan<byte> bytes, out VfioIommuInfo? info)
    {
        info = null;
        var header = MemoryMarshal.Read<VfioIommuType1Info>(bytes);
        var length = (int)Math.Min(Math.Min(header.ArgSz, (uint)bytes.Length), int.MaxValue);
        var capabilities = new List<VfioInfoCapHeader>();
        VfioIovaRange[]? ranges = null;
        uint? dmaAvailable = null;
        var offset = (header.Flags & VfioIommuInfoFlags.Caps) != 0 ? header.CapOffset : 0;
        var minimum = (uint)VfioIommuType1Info.NativeSize;
        while (offset != 0)
        {
            if (offset < minimum || offset > length - CapHeaderSize)
            {
                return Errno.EIO;
            }

            var cap = bytes[(int)offset..length];
            var capHeader = MemoryMarshal.Read<VfioInfoCapHeader>(cap);
            capabilities.Add(capHeader);
            if (capHeader.Id == VfioConstants.CapIovaRange && cap.Length >= IovaRangeCapSize)
            {
                var count = BinaryPrimitives.ReadUInt32LittleEndian(cap[CapHeaderSize..]);
                var available = (cap.Length - IovaRangeCapSize) / Marshal.SizeOf<VfioIovaRange>();
                if (count > available)
                {
                    return Errno.EIO;
                }

                ranges = MemoryMarshal.Cast<byte, VfioIovaRange>(cap.Slice(IovaRangeCapSize, (int)count * Marshal.SizeOf<VfioIovaRange>())).ToArray();
            }
            else if (capHeader.Id == VfioConstants.CapDmaAvail && cap.Length >= DmaAvailCapSize)
            {
                dmaAvailable = BinaryPrimitives.ReadUInt32LittleEndian(cap[CapHeaderSize..]);
            }

            minimum = offset + CapHeaderSize;
            offset = capHeader.Next;
        }

        info = new VfioIommuInfo(header.Flags, header.IovaPgsizes, capabilities.ToArray(), ranges, dmaAvailable);
        return Errno.None;
    }
}
