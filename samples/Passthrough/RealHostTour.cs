using IommuContracts;
using IommuContracts.Linux;
using IommuContracts.Uapi;

namespace Passthrough;

/// <summary>
/// The ioctl part of the tour against the running kernel: <c>/dev/iommu</c> and a VFIO device cdev whose device is
/// bound to vfio-pci (<c>dotnet run --project samples/Passthrough -- --device /dev/vfio/devices/vfio0</c>). The same
/// typed stubs as on the simulated host; device DMA, the kernel log and pin counts exist only there, so they are left out.
/// </summary>
internal static class RealHostTour
{
    /// <summary>Exit code when the host lacks /dev/iommu or the device (or the rights to open them).</summary>
    public const int HostUnavailable = 2;

    private const ulong GuestRamSize = 16UL << 20;

    public static int Run(string devicePath)
    {
        Report.Section($"Real host: {LinuxIommufdFile.DefaultPath} and {devicePath}");
        if (Report.Step($"open {LinuxIommufdFile.DefaultPath}", LinuxIommufdFile.Open(out var iommufd)) != Errno.None)
        {
            Report.Note("needs a kernel with CONFIG_IOMMUFD and read-write access to the node (README: Running against a real host)");
            return HostUnavailable;
        }

        using (iommufd)
        {
            if (Report.Step($"open {devicePath}", LinuxVfioDeviceFile.Open(devicePath, out var nic)) != Errno.None)
            {
                Report.Note("needs CONFIG_VFIO_DEVICE_CDEV and the device bound to vfio-pci (README: Running against a real host)");
                return HostUnavailable;
            }

            using (nic)
            {
                return Passthrough(iommufd!, nic!);
            }
        }
    }

    private static int Passthrough(LinuxIommufdFile iommufd, LinuxVfioDeviceFile nic)
    {
        if (Report.Step("VFIO_DEVICE_BIND_IOMMUFD", nic.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out var nicId), $"device {nicId}") != Errno.None
            || Report.Step("IOMMU_IOAS_ALLOC", iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas), $"{ioas}") != Errno.None)
        {
            return 1;
        }

        if (Report.Step("VFIO_DEVICE_ATTACH_IOMMUFD_PT (to the IOAS)", nic.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt), $"automatic {hwpt}") != Errno.None)
        {
            return 1;
        }

        var mapped = ReportIovaRanges(iommufd, ioas) && MapAndUnmapGuestRam(iommufd, ioas);
        var detached = Report.Step("VFIO_DEVICE_DETACH_IOMMUFD_PT", nic.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0)) == Errno.None;
        var destroyed = Report.Step("IOMMU_DESTROY the IOAS", iommufd.Destroy(ioas)) == Errno.None;

        // Closing the device fd unbinds it; closing /dev/iommu frees whatever is left.
        return mapped && detached && destroyed ? 0 : 1;
    }

    private static bool ReportIovaRanges(LinuxIommufdFile iommufd, IoasId ioas)
    {
        // The helper asks for the count, then lets the kernel write exactly that many ranges into a pinned array.
        var read = iommufd.IoasIovaRanges(ioas, out var ranges, out var alignment);
        Report.Step("IOMMU_IOAS_IOVA_RANGES", read, $"{ranges.Length} ranges, IOVA alignment {alignment}");
        foreach (var range in ranges)
        {
            Report.Note($"usable IOVA {range}");
        }

        return read == Errno.None && ranges.Length > 0;
    }

    private static bool MapAndUnmapGuestRam(LinuxIommufdFile iommufd, IoasId ioas)
    {
        if (Report.Step("mmap 16 MiB of guest RAM (2 MiB aligned)", AnonymousMapping.Map(GuestRamSize, out var guestRam, 2UL << 20)) != Errno.None)
        {
            return false;
        }

        using (guestRam)
        {
            // No fixed IOVA here: the usable ranges differ from host to host, so the kernel picks one.
            ulong iova = 0;
            var rw = IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;
            if (Report.Step("IOMMU_IOAS_MAP 16 MiB of guest RAM", iommufd.IoasMap(rw, ioas, guestRam!.Address, GuestRamSize, ref iova), $"at IOVA 0x{iova:X}") != Errno.None)
            {
                return false;
            }

            ulong unmapped = ulong.MaxValue;
            return Report.Step("IOMMU_IOAS_UNMAP everything", iommufd.IoasUnmap(ioas, 0, ref unmapped), $"{unmapped} bytes") == Errno.None
                && unmapped == GuestRamSize;
        }
    }
}
