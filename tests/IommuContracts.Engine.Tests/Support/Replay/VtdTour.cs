using IommuContracts.Engine.Host;
using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Engine.Tests.Support.Recording;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Support.Replay;

/// <summary>
/// The VT-d boot's scenario: two PCI functions bound to vfio-pci behind QEMU's intel-iommu (vfio0 and vfio1), used
/// the way a VMM uses them, on the engine's VT-d-shaped guest (<see cref="SimulatedProcessHost.VtdGuest"/>) and on the
/// real devices. Its steps carry what the VT-d shape claims: GET_HW_INFO's type and CAP/ECAP registers, the IOVA
/// ranges (aperture minus the interrupt window), the refusals of nesting and dirty tracking, and the maps the
/// reserved ranges refuse.
/// </summary>
public static class VtdTour
{
    private const ulong Page = SimulatedProcess.PageSize;
    private const ulong GuestRamIova = 0x1_0000_0000;
    private const IommuIoasMapFlags FixedRw = IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;

    /// <summary>The engine side: the VT-d guest on <paramref name="profile"/>.</summary>
    public static ReplaySide Engine(KernelProfile profile, bool transparentHugePages = true)
        => new($"engine({profile}, VT-d guest)", () => SimulatedProcessHost.VtdGuest(profile, transparentHugePages));

    /// <summary>Runs the tour on both sides and compares.</summary>
    public static Comparison Compare(ReplaySide engine, ReplaySide other) => Comparison.Of("vt-d tour (vfio0, vfio1)", Run(engine), Run(other));

    /// <summary>Runs the tour on a fresh process of <paramref name="side"/>, recorded.</summary>
    public static ScenarioRun Run(ReplaySide side)
    {
        var recorder = new RecordingProcessHost(side.Create());
        try
        {
            Tour(recorder);
            return new ScenarioRun(side.Name, recorder.Steps.ToList(), RunOutcome.Completed, null);
        }
        catch (HostUnsupportedException e)
        {
            return new ScenarioRun(side.Name, recorder.Steps.ToList(), RunOutcome.Skipped, e.Message);
        }
        catch (Exception e)
        {
            return new ScenarioRun(side.Name, recorder.Steps.ToList(), RunOutcome.Failed, $"{e.GetType().Name}: {e.Message}");
        }
        finally
        {
            recorder.Dispose();
        }
    }

    private static void Tour(IProcessHost host)
    {
        var iommufdFd = host.OpenIommufd();
        var nicFd = host.OpenVfioDevice(0);
        var eduFd = host.OpenVfioDevice(1);
        if (iommufdFd < 0 || nicFd < 0 || eduFd < 0)
        {
            throw new HostUnsupportedException("needs /dev/iommu and two devices bound to vfio-pci (/dev/vfio/devices/vfio0, vfio1)");
        }

        host.Adopt(nicFd);
        host.Adopt(eduFd);
        var iommufd = host.File(iommufdFd);
        var nic = host.File(nicFd);
        var edu = host.File(eduFd);

        // Binding: nothing but BIND before BIND; BIND once.
        nic.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, default, 0, out _);
        nic.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufdFd, 0, out var nicId);
        edu.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufdFd, 0, out var eduId);
        nic.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufdFd, 0, out _);
        iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas);

        // What the IOMMU is: type, registers, capabilities (and the INPUT_TYPE flag 6.12 does not know).
        var info = host.Mmap(Page);
        uint length = 32;
        var type = IommuHwInfoType.Default;
        iommufd.GetHwInfo(IommuHwInfoFlags.None, nicId, info, ref length, ref type, out _, out _);
        host.Read(info, new byte[32]);
        length = 32;
        type = IommuHwInfoType.IntelVtd;
        iommufd.GetHwInfo(IommuHwInfoFlags.InputType, nicId, info, ref length, ref type, out _, out _);

        // QEMU's VT-d nests nothing and tracks nothing dirty; a plain HWPT is fine.
        iommufd.HwptAlloc(IommuHwptAllocFlags.NestParent, nicId, ioas, IommuHwptDataType.None, 0, 0, FaultId.None, out _);
        iommufd.HwptAlloc(IommuHwptAllocFlags.DirtyTracking, nicId, ioas, IommuHwptDataType.None, 0, 0, FaultId.None, out _);
        iommufd.HwptAlloc(IommuHwptAllocFlags.None, nicId, ioas, IommuHwptDataType.None, 0, 0, FaultId.None, out var manual);
        iommufd.Destroy(manual);

        // Both devices on the IOAS: the second joins the first one's automatic HWPT.
        nic.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out _);
        edu.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out _);
        nic.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.Pasid, ioas, 1, out _);

        // The IOVA ranges: ask for the count, then read them.
        var ranges = host.Mmap(Page);
        uint count = 0;
        iommufd.IoasIovaRanges(ioas, ranges, ref count, out _);
        count = 4;
        iommufd.IoasIovaRanges(ioas, ranges, ref count, out _);
        host.Read(ranges, new byte[64]);

        // Guest RAM at 4 GiB; the interrupt window and past the aperture are refused; the kernel picks an IOVA.
        var ram = host.Mmap(16 * Page, MemoryProtection.ReadWrite, MmapFlags.None, 2UL << 20);
        host.Write(ram, new byte[16 * Page]);
        var iova = GuestRamIova;
        iommufd.IoasMap(FixedRw, ioas, ram, 16 * Page, ref iova);
        iova = 0xFEE0_0000;
        iommufd.IoasMap(FixedRw, ioas, ram, Page, ref iova);
        iova = 0xFEDF_F000;
        iommufd.IoasMap(FixedRw, ioas, ram, 2 * Page, ref iova);
        iova = 1UL << 39;
        iommufd.IoasMap(FixedRw, ioas, ram, Page, ref iova);
        iova = 0;
        iommufd.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, ioas, ram + (4 * Page), 4 * Page, ref iova);

        // Teardown, with the mistakes a VMM makes on the way.
        iommufd.Destroy(ioas);
        var unmapped = ulong.MaxValue;
        iommufd.IoasUnmap(ioas, 0, ref unmapped);
        nic.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0);
        edu.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0);
        iommufd.Destroy(ioas);
        host.Close(eduFd);
        host.Close(nicFd);
        host.Close(iommufdFd);
    }
}
