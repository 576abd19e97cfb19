using System.Buffers.Binary;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Uapi;

/// <summary>
/// The VFIO_IOMMU_GET_INFO helper: on the engine's compatibility container it learns the chain's size from
/// argsz, reads it, and decodes DMA_AVAIL and IOVA_RANGE; a chain that points outside itself is EIO.
/// </summary>
public sealed class VfioIommuInfoHelperTests : VfioCompatMockDomainFixture
{
    public VfioIommuInfoHelperTests()
        : base(VfioConstants.Type1v2Iommu)
    {
    }

    [Fact]
    public void The_chain_is_read_in_two_calls_and_decoded()
    {
        var file = new InterceptingFile(File);

        Assert.Equal(Errno.None, file.VfioIommuGetInfo(out var info));

        Assert.Equal([VfioIommuType1Info.Command, VfioIommuType1Info.Command], file.Commands);
        Assert.Equal(VfioIommuInfoFlags.PgSizes | VfioIommuInfoFlags.Caps, info!.Flags);
        Assert.NotEqual(0UL, info.IovaPgsizes);
        Assert.Equal([VfioConstants.CapDmaAvail, VfioConstants.CapIovaRange], info.Capabilities.Select(c => c.Id));
        Assert.Equal(uint.MaxValue, info.DmaAvailable);

        // The IOVA_RANGE capability lists what IOMMU_IOAS_IOVA_RANGES reports for the compatibility IOAS.
        Assert.Equal(Errno.None, File.IoasIovaRanges(Ioas, out IommuIovaRange[] ranges, out _));
        Assert.Equal(ranges.Select(r => (r.Start, r.Last)), info.IovaRanges!.Select(r => (r.Start, r.End)));
    }

    [Fact]
    public void Without_a_compatibility_ioas_the_containers_errno_comes_back()
    {
        var bare = Process.File(Process.OpenIommufd());

        Assert.Equal(Errno.ENODEV, bare.VfioIommuGetInfo(out var info));

        Assert.Null(info);
        bare.Dispose();
    }

    [Theory]
    [InlineData(8u, 0u)]            // the first capability inside the fixed struct
    [InlineData(60u, 0u)]           // a header that runs past argsz
    [InlineData(24u, 24u)]          // a capability that points at itself
    [InlineData(24u, 16u)]          // ...or back into the fixed struct
    public void A_chain_that_points_outside_itself_or_backwards_is_EIO(uint capOffset, uint next)
    {
        var file = new ScriptedInfoFile(Chain(capOffset, next, iovaCount: 0));

        Assert.Equal(Errno.EIO, file.VfioIommuGetInfo(out var info));

        Assert.Null(info);
    }

    [Fact]
    public void An_iova_range_capability_that_claims_more_ranges_than_fit_is_EIO()
    {
        var bytes = Chain(24, 0, iovaCount: 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(24 + 8), 2);

        Assert.Equal(Errno.EIO, new ScriptedInfoFile(bytes).VfioIommuGetInfo(out _));
    }

    [Fact]
    public void A_well_formed_scripted_chain_decodes_and_unknown_capabilities_are_listed()
    {
        var bytes = Chain(24, 0, iovaCount: 1);

        Assert.Equal(Errno.None, new ScriptedInfoFile(bytes).VfioIommuGetInfo(out var info));

        Assert.Equal([VfioConstants.CapIovaRange], info!.Capabilities.Select(c => c.Id));
        Assert.Equal([(0x1000UL, 0x1FFFUL)], info.IovaRanges!.Select(r => (r.Start, r.End)));
        Assert.Null(info.DmaAvailable);
    }

    // vfio_iommu_type1_info (24 bytes) with CAPS, then one IOVA_RANGE capability at capOffset linking to next.
    private static byte[] Chain(uint capOffset, uint next, uint iovaCount)
    {
        var total = 24 + 16 + (16 * (int)iovaCount);
        var bytes = new byte[total];
        BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)total);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), (uint)(VfioIommuInfoFlags.PgSizes | VfioIommuInfoFlags.Caps));
        BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(8), 0x1000);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(16), capOffset);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(24), VfioConstants.CapIovaRange);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(26), 1);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(28), next);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(32), iovaCount);
        for (var i = 0; i < iovaCount; i++)
        {
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(40 + (16 * i)), 0x1000);
            BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(48 + (16 * i)), 0x1FFF);
        }

        return bytes;
    }

    /// <summary>A container that answers VFIO_IOMMU_GET_INFO with fixed bytes, as much as argsz leaves room for.</summary>
    private sealed class ScriptedInfoFile(byte[] answer) : IIoctlFile
    {
        public int Fd => 3;

        public int Ioctl(uint command, Span<byte> argument)
        {
            Assert.Equal(VfioIommuType1Info.Command, command);
            var room = Math.Min(argument.Length, answer.Length);
            answer.AsSpan(0, room).CopyTo(argument);
            return 0;
        }

        public int Ioctl(uint command, ulong value) => Errno.ENOTTY.ToSyscallResult();

        public int Ioctl(uint command, Span<byte> argument, int pointerOffset, Span<byte> buffer) => Errno.ENOTTY.ToSyscallResult();
    }
}
