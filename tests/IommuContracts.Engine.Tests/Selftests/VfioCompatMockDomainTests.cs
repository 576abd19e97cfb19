using System.Buffers.Binary;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the kernel selftests' <c>vfio_compat_mock_domain</c> fixture, variants Ver1v2 and Ver1v0, newest
/// selftest (a second VFIO_IOMMU_UNMAP_DMA of an already empty range succeeds).
/// </summary>
public abstract class VfioCompatMockDomainTestsBase : VfioCompatMockDomainFixture
{
    private const uint VfioIommuGetInfo = 0x3B70;

    // struct vfio_iommu_type1_info: argsz 0:4, flags 4:4, iova_pgsizes 8:8, cap_offset 16:4, pad 20:4.
    private const int InfoSize = 24;
    private const int InfoCapOffsetOffset = 16;

    // struct vfio_info_cap_header: id 0:2, version 2:2, next 4:4.
    private const int CapHeaderSize = 8;

    // sizeof(struct vfio_iommu_type1_info_dma_avail): header, avail.
    private const int DmaAvailSize = 12;

    // Where the next capability starts after DMA_AVAIL.
    private const int AlignedDmaAvailSize = (DmaAvailSize + 7) & ~7;

    private const ulong MockApertureStart = SelftestConstants.MockApertureStart;
    private const ulong MockApertureLast = SelftestConstants.MockApertureLast;
    private const VfioDmaMapFlags ReadWrite = VfioDmaMapFlags.Read | VfioDmaMapFlags.Write;

    protected VfioCompatMockDomainTestsBase(ulong version)
        : base(version)
    {
    }

    // TEST_F(vfio_compat_mock_domain, simple_close): the setup alone, then close.
    [Fact]
    public void Simple_close()
    {
        Assert.True(Ioas.IsValid);
    }

    // TEST_F(vfio_compat_mock_domain, option_huge_pages): VFIO_TYPE1_IOMMU turns huge pages off on the IOAS.
    [Fact]
    public void Option_huge_pages()
    {
        ulong value = 3;
        Assert.Equal(Errno.None, File.Option(IommuOptionId.HugePages, IommuOptionOp.Get, Ioas, ref value));
        Assert.Equal(Version == VfioConstants.Type1Iommu ? 0UL : 1UL, value);
    }

    // TEST_F(vfio_compat_mock_domain, get_info): the info struct lives in the global buffer; the kernel never
    // writes past argsz and never produces a corrupt capability chain.
    [Fact]
    public void Get_info()
    {
        const uint expectedFlags = (uint)(VfioIommuInfoFlags.PgSizes | VfioIommuInfoFlags.Caps);

        // Pre-capability ABI.
        ResetInfo(InfoCapOffsetOffset);
        IoctlCheckBuf(VfioIommuGetInfo);
        Assert.NotEqual(0UL, ReadU64(8));
        Assert.Equal(expectedFlags, ReadU32(4));

        // Read the capability chain size.
        ResetInfo(InfoSize);
        IoctlCheckBuf(VfioIommuGetInfo);
        Assert.NotEqual(0UL, ReadU64(8));
        Assert.Equal(expectedFlags, ReadU32(4));
        Assert.Equal(0u, ReadU32(InfoCapOffsetOffset));
        Assert.True(ReadU32(0) > InfoSize, $"argsz {ReadU32(0)} does not ask for room for capabilities");

        // Read the capabilities at every size: never corrupt.
        var capLength = ReadU32(0);
        for (uint i = InfoSize; i < capLength; i++)
        {
            ResetInfo(i);
            IoctlCheckBuf(VfioIommuGetInfo);
            Assert.Equal(expectedFlags, ReadU32(4));
            if (ReadU32(InfoCapOffsetOffset) == 0)
            {
                continue;
            }

            CheckVfioInfoCapChain();
        }

        // Beyond the kernel test's loop: at exactly the size asked for, the whole chain is there and valid.
        ResetInfo(capLength);
        IoctlCheckBuf(VfioIommuGetInfo);
        Assert.Equal(expectedFlags, ReadU32(4));
        Assert.Equal((uint)InfoSize, ReadU32(InfoCapOffsetOffset));
        CheckVfioInfoCapChain();

        // The size asked for: the info, DMA_AVAIL padded to 8, IOVA_RANGE with the one aperture range (0x48 on
        // the real 6.12 kernel).
        Assert.Equal((uint)(InfoSize + AlignedDmaAvailSize + CapHeaderSize + 8 + 16), capLength);
    }

    // TEST_F(vfio_compat_mock_domain, map) (named Map_dma: the fixture already has a Map helper).
    [Fact]
    public void Map_dma()
    {
        // Simple map/unmap.
        Assert.Equal(Errno.None, File.VfioIommuMapDma(ReadWrite, Buffer, MockApertureStart, BufferSize));
        var size = BufferSize;
        Assert.Equal(Errno.None, File.VfioIommuUnmapDma(VfioDmaUnmapFlags.None, MockApertureStart, ref size));
        Assert.Equal(BufferSize, size);

        // Unmap of an empty range is success.
        size = BufferSize;
        Assert.Equal(Errno.None, File.VfioIommuUnmapDma(VfioDmaUnmapFlags.None, MockApertureStart, ref size));

        // UNMAP_FLAG_ALL requires iova and size 0.
        Assert.Equal(Errno.None, File.VfioIommuMapDma(ReadWrite, Buffer, MockApertureStart, BufferSize));
        size = BufferSize;
        Assert.Equal(Errno.EINVAL, File.VfioIommuUnmapDma(VfioDmaUnmapFlags.All, MockApertureStart, ref size));

        size = 0;
        Assert.Equal(Errno.None, File.VfioIommuUnmapDma(VfioDmaUnmapFlags.All, 0, ref size));
        Assert.Equal(BufferSize, size);

        // Small pages, unmapped in random order.
        var pagesIova = new ulong[BufferSize / PageSize];
        for (var i = 0; i != pagesIova.Length; i++)
        {
            pagesIova[i] = MockApertureStart + ((ulong)i * PageSize);
            Assert.Equal(Errno.None, File.VfioIommuMapDma(ReadWrite, Buffer + ((ulong)i * PageSize), pagesIova[i], PageSize));
        }

        Shuffle(pagesIova, new Random(0x5EED));
        foreach (var iova in pagesIova)
        {
            size = PageSize;
            Assert.Equal(Errno.None, File.VfioIommuUnmapDma(VfioDmaUnmapFlags.None, iova, ref size));
        }
    }

    // TEST_F(vfio_compat_mock_domain, huge_map): type1 may cut up a huge mapping, type1v2 never does.
    [Fact]
    public void Huge_map()
    {
        const ulong bufSize = HugePageSize * 2;
        var buf = Host.Mmap(bufSize, MemoryProtection.ReadWrite, MmapFlags.HugeTlb, HugePageSize);
        Assert.Equal(Errno.None, File.VfioIommuMapDma(ReadWrite, buf, MockApertureStart, bufSize));

        var pagesIova = new ulong[16];
        var chunk = bufSize / (ulong)pagesIova.Length;
        for (var i = 0; i != pagesIova.Length; i++)
        {
            pagesIova[i] = MockApertureStart + ((ulong)i * chunk);
        }

        Shuffle(pagesIova, new Random(0x1CE));

        foreach (var iova in pagesIova)
        {
            var size = chunk;
            var result = File.VfioIommuUnmapDma(VfioDmaUnmapFlags.None, iova, ref size);
            if (Version == VfioConstants.Type1Iommu)
            {
                Assert.True(result == Errno.None, $"type1 UNMAP_DMA of [0x{iova:X}, +0x{chunk:X}) returned {result}");
            }
            else
            {
                Assert.True(result == Errno.ENOENT, $"type1v2 UNMAP_DMA of [0x{iova:X}, +0x{chunk:X}) returned {result}, the kernel answers ENOENT");
            }
        }
    }

    // shuffle_array
    private static void Shuffle(ulong[] array, Random random)
    {
        for (var i = 0; i != array.Length; i++)
        {
            var other = random.Next(array.Length - i);
            (array[i], array[other]) = (array[other], array[i]);
        }
    }

    // *info_cmd = (struct vfio_iommu_type1_info){ .argsz = argsz }
    private void ResetInfo(uint argsz)
    {
        var info = new byte[InfoSize];
        BinaryPrimitives.WriteUInt32LittleEndian(info, argsz);
        WriteUser(Buffer, info);
    }

    // ioctl_check_buf: everything in the global buffer past the input argsz is still 0xAA afterwards.
    private void IoctlCheckBuf(uint command)
    {
        var length = ReadU32(0);
        var fill = new byte[BufferSize - length];
        Array.Fill(fill, (byte)0xAA);
        WriteUser(Buffer + length, fill);
        Assert.Equal(0, Ioctl(command, Buffer));
        Assert.True(ReadUser(Buffer + length, fill.Length).All(b => b == 0xAA), $"VFIO_IOMMU_GET_INFO with argsz {length} wrote past argsz");
    }

    // check_vfio_info_cap_chain: offsets are relative to the info struct at the start of the buffer.
    private void CheckVfioInfoCapChain()
    {
        var argsz = ReadU32(0);
        var cap = ReadU32(InfoCapOffsetOffset);
        Assert.True(argsz >= cap + CapHeaderSize);
        while (true)
        {
            var id = ReadU16(cap);
            var version = ReadU16(cap + 2);
            var next = ReadU32(cap + 4);
            var capSize = next != 0 ? next - cap : argsz - cap;

            switch (id)
            {
                case VfioConstants.CapIovaRange:
                    Assert.Equal(1, version);
                    Assert.Equal(1u, ReadU32(cap + 8));
                    Assert.Equal(MockApertureStart, ReadU64(cap + 16));
                    Assert.Equal(MockApertureLast, ReadU64(cap + 24));
                    break;
                case VfioConstants.CapDmaAvail:
                    Assert.Equal(1, version);
                    // The kernel's loop never reaches a full chain, so its sizeof check never runs; the real
                    // kernel starts each capability 8-byte aligned (vfio_compat.c ALIGN(cap_size, sizeof(u64))).
                    Assert.Equal((uint)AlignedDmaAvailSize, capSize);
                    break;
                default:
                    Assert.Fail($"unexpected VFIO capability id {id} at offset {cap}");
                    break;
            }

            if (next == 0)
            {
                break;
            }

            Assert.True(argsz >= next + CapHeaderSize);
            Assert.True(next >= cap);
            cap = next;
        }
    }

    private ushort ReadU16(uint offset) => BinaryPrimitives.ReadUInt16LittleEndian(ReadUser(Buffer + offset, 2));

    private uint ReadU32(uint offset) => BinaryPrimitives.ReadUInt32LittleEndian(ReadUser(Buffer + offset, 4));

    private ulong ReadU64(uint offset) => BinaryPrimitives.ReadUInt64LittleEndian(ReadUser(Buffer + offset, 8));
}

/// <summary>FIXTURE_VARIANT_ADD(vfio_compat_mock_domain, Ver1v2): VFIO_TYPE1v2_IOMMU.</summary>
public sealed class VfioCompatMockDomainVer1v2Tests : VfioCompatMockDomainTestsBase
{
    public VfioCompatMockDomainVer1v2Tests()
        : base(VfioConstants.Type1v2Iommu)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(vfio_compat_mock_domain, Ver1v0): VFIO_TYPE1_IOMMU.</summary>
public sealed class VfioCompatMockDomainVer1v0Tests : VfioCompatMockDomainTestsBase
{
    public VfioCompatMockDomainVer1v0Tests()
        : base(VfioConstants.Type1Iommu)
    {
    }
}
