using IommuContracts;
using IommuContracts.Contracts;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Kapi;
using IommuContracts.Uapi;

namespace BrokenDriver;

/// <summary>VMM-side mistakes through the typed stubs (and one around them).</summary>
public static class VmmMistakes
{
    public static Errno AttachBeforeBind(SimulatedProcess vmm, VfioDeviceNode node, IoasId ioas)
    {
        var device = vmm.File(vmm.OpenVfioDevice(node));
        var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt); // IOMMU0101
        Console.WriteLine(hwpt);
        return rc;
    }

    public static Errno AttachWhenTheBindMayHaveFailed(SimulatedProcess vmm, VfioDeviceNode node, int iommufd, IoasId ioas)
    {
        var device = vmm.File(vmm.OpenVfioDevice(node));
        if (device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd, 0, out var id) != Errno.None)
        {
            Console.WriteLine("bind failed, attaching anyway");
        }

        var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt); // IOMMU0151
        Console.WriteLine($"{id} {hwpt}");
        return rc;
    }

    public static Errno IgnoreUnmappedLength(SimulatedIoctlFile iommufd, IoasId ioas)
    {
        var length = ulong.MaxValue;
        return iommufd.IoasUnmap(ioas, 0, ref length); // IOMMU0102
    }

    public static Errno MapAtFixedIovaAfterAttach(SimulatedIoctlFile iommufd, SimulatedIoctlFile device, IoasId ioas, ulong buffer)
    {
        var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine(hwpt);
        var iova = 0x10000UL;
        return iommufd.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, ioas, buffer, 4096, ref iova); // IOMMU0103
    }

    public static int HandPacked(SimulatedProcess vmm, int fd, ulong argument)
        => vmm.Ioctl(fd, 0x3B81, argument); // IOMMU0104

    public static HwptId WrongKind(IoasId ioas)
        => HwptId.FromObjectId(ioas); // IOMMU0105

    public static Errno IgnoreTheAutomaticHwpt([RequiresState("Bound")] IommufdDevice idev, IoasId ioas)
    {
        return Iommufd.DeviceAttach(idev, ioas, out var hwpt); // IOMMU0015
    }
}
