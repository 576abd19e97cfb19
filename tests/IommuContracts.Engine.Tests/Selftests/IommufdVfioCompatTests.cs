using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the VFIO-container ioctls of the kernel selftests' <c>iommufd</c> fixture (simple_ioctls,
/// unmap_cmd, map_cmd, info_cmd, set_iommu_cmd, vfio_ioas): a bare fd without a compatibility IOAS.
/// </summary>
public class IommufdVfioCompatTests : IommufdFixture
{
    // linux/vfio.h: VFIO_TYPE ';', VFIO_BASE 100.
    private const uint VfioGetApiVersion = 0x3B64;
    private const uint VfioCheckExtension = 0x3B65;
    private const uint VfioSetIommu = 0x3B66;
    private const uint VfioIommuGetInfo = 0x3B70;
    private const uint VfioIommuMapDma = 0x3B71;
    private const uint VfioIommuUnmapDma = 0x3B72;
    private const uint IommuVfioIoas = 0x3B88;

    private const int VfioApiVersion = 0;
    private const ulong VfioType1Iommu = 1;
    private const ulong VfioType1v2Iommu = 3;
    private const uint VfioDmaMapFlagRead = 1;
    private const uint VfioDmaMapFlagWrite = 2;

    // TEST_F(iommufd, simple_ioctls)
    [Fact]
    public void Simple_ioctls()
    {
        Assert.Equal(VfioApiVersion, Ioctl(VfioGetApiVersion, 0UL));
        Assert.Equal(1, Ioctl(VfioCheckExtension, VfioType1v2Iommu));
    }

    // TEST_F(iommufd, unmap_cmd)
    [Fact]
    public void Unmap_cmd()
    {
        // vfio_iommu_type1_dma_unmap: argsz 0:4, flags 4:4, iova 8:8, size 16:8 (minsz 24).
        var unmap = new UserBuffer(Host, PageSize);
        unmap.U64(8, SelftestConstants.MockApertureStart);
        unmap.U64(16, PageSize);

        unmap.U32(0, 1);
        SyscallAssert.Fails(Errno.EINVAL, Ioctl(VfioIommuUnmapDma, unmap.Address));

        unmap.U32(0, 24);
        unmap.U32(4, 1u << 31);
        SyscallAssert.Fails(Errno.EINVAL, Ioctl(VfioIommuUnmapDma, unmap.Address));

        // Well formed, but there is no compatibility IOAS.
        unmap.U32(4, 0);
        SyscallAssert.Fails(Errno.ENODEV, Ioctl(VfioIommuUnmapDma, unmap.Address));
    }

    // TEST_F(iommufd, map_cmd)
    [Fact]
    public void Map_cmd()
    {
        // vfio_iommu_type1_dma_map: argsz 0:4, flags 4:4, vaddr 8:8, iova 16:8, size 24:8 (minsz 32).
        var map = new UserBuffer(Host, PageSize);
        map.U64(8, Buffer);
        map.U64(16, SelftestConstants.MockApertureStart);
        map.U64(24, PageSize);

        map.U32(0, 1);
        SyscallAssert.Fails(Errno.EINVAL, Ioctl(VfioIommuMapDma, map.Address));

        map.U32(0, 32);
        map.U32(4, 1u << 31);
        SyscallAssert.Fails(Errno.EINVAL, Ioctl(VfioIommuMapDma, map.Address));

        // Needs a compatibility IOAS.
        map.U32(4, VfioDmaMapFlagRead | VfioDmaMapFlagWrite);
        SyscallAssert.Fails(Errno.ENODEV, Ioctl(VfioIommuMapDma, map.Address));
    }

    // TEST_F(iommufd, info_cmd)
    [Fact]
    public void Info_cmd()
    {
        // vfio_iommu_type1_info: argsz 0:4, flags 4:4, iova_pgsizes 8:8, cap_offset 16:4, pad 20:4.
        var info = new UserBuffer(Host, PageSize);

        info.U32(0, 1);
        SyscallAssert.Fails(Errno.EINVAL, Ioctl(VfioIommuGetInfo, info.Address));

        info.U32(0, 24);
        SyscallAssert.Fails(Errno.ENODEV, Ioctl(VfioIommuGetInfo, info.Address));
    }

    // TEST_F(iommufd, set_iommu_cmd)
    [Fact]
    public void Set_iommu_cmd()
    {
        SyscallAssert.Fails(Errno.ENODEV, Ioctl(VfioSetIommu, VfioType1v2Iommu));
        SyscallAssert.Fails(Errno.ENODEV, Ioctl(VfioSetIommu, VfioType1Iommu));
    }

    // TEST_F(iommufd, vfio_ioas): one iommu_vfio_ioas struct reused across calls.
    [Fact]
    public void Vfio_ioas()
    {
        // iommu_vfio_ioas: size 0:4, ioas_id 4:4, op 8:2, __reserved 10:2.
        var cmd = new UserBuffer(Host, PageSize);
        cmd.U32(0, 12);
        cmd.U16(8, (ushort)IommuVfioIoasOp.Get);

        // No compatibility IOAS yet.
        SyscallAssert.Fails(Errno.ENODEV, Ioctl(IommuVfioIoas, cmd.Address));

        // SET with ID 0.
        cmd.U16(8, (ushort)IommuVfioIoasOp.Set);
        SyscallAssert.Fails(Errno.ENOENT, Ioctl(IommuVfioIoas, cmd.Address));

        var ioas = AllocIoas();
        cmd.U32(4, ioas.Value);
        SyscallAssert.Succeeds(Ioctl(IommuVfioIoas, cmd.Address));

        // GET answers with the IOAS just set.
        cmd.U16(8, (ushort)IommuVfioIoasOp.Get);
        SyscallAssert.Succeeds(Ioctl(IommuVfioIoas, cmd.Address));
        Assert.Equal(ioas.Value, cmd.U32(4));

        cmd.U16(8, (ushort)IommuVfioIoasOp.Clear);
        SyscallAssert.Succeeds(Ioctl(IommuVfioIoas, cmd.Address));
        cmd.U16(8, (ushort)IommuVfioIoasOp.Get);
        SyscallAssert.Fails(Errno.ENODEV, Ioctl(IommuVfioIoas, cmd.Address));
    }
}
