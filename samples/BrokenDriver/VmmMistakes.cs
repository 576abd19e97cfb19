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
    public static Errno AttachBeforeBind(SimulatedProcess vmm, VfioDeviceNode node, ObjectId ioas)
    {
        var device = vmm.File(vmm.OpenVfioDevice(node));
        var pt = ioas;
        var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, 0, ref pt); // IOMMU0101
        Console.WriteLine(pt);
        return rc;
    }

    public static Errno AttachWhenTheBindMayHaveFailed(SimulatedProcess vmm, VfioDeviceNode node, int iommufd, ObjectId ioas)
    {
        var device = vmm.File(vmm.OpenVfioDevice(node));
        if (device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd, 0, out var id) != Errno.None)
        {
            Console.WriteLine("bind failed, attaching anyway");
        }

        var pt = ioas;
        var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, 0, ref pt); // IOMMU0151
        Console.WriteLine($"{id} {pt}");
        return rc;
    }

    public static Errno IgnoreUnmappedLength(SimulatedIoctlFile iommufd, IoasId ioas)
    {
        var length = ulong.MaxValue;
        return iommufd.IoasUnmap(ioas, 0, ref length); // IOMMU0102
    }

    public static Errno MapAtFixedIovaAfterAttach(SimulatedIoctlFile iommufd, SimulatedIoctlFile device, IoasId ioas, ulong buffer)
    {
        ObjectId pt = ioas;
        var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, 0, ref pt);
        if (rc != Errno.None)
        {
            return rc;
        }

        Console.WriteLine(pt);
        var iova = 0x10000UL;
        return iommufd.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, ioas, buffer, 4096, ref iova); // IOMMU0103
    }

    public static int HandPacked(SimulatedProcess vmm, int fd, ulong argument)
        => vmm.Ioctl(fd, 0x3B81, argument); // IOMMU0104

    public static HwptId WrongKind(IoasId ioas)
        => HwptId.FromObjectId(ioas); // IOMMU0105

    public static Errno IgnoreTheAutomaticHwpt([RequiresState("Bound")] IommufdDevice idev, ObjectId ioas)
    {
        var pt = ioas;
        return Iommufd.DeviceAttach(idev, ref pt); // IOMMU0015
    }
}
