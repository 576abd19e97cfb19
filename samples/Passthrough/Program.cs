using System.Text;
using IommuContracts;
using IommuContracts.Engine.Host;
using IommuContracts.Uapi;
using Passthrough;

// A VMM passes a NIC through to a guest, using only the generated typed stubs on a simulated host:
// /dev/iommu, a VFIO device cdev, an IOAS, the guest's memory mapped into it, and DMA the device makes.
// With --device /dev/vfio/devices/vfioN the ioctl part runs against the real kernel instead.
if (args is ["--device", var devicePath])
{
    return RealHostTour.Run(devicePath);
}

// --iommu vtd (the default: VT-d as in the QEMU guest, --aw-bits 39 or 48) or --iommu generic.
var shape = IommuShape.IntelVtd;
var addressWidth = IommuContracts.Engine.Iommu.QemuIntelIommu.DefaultAddressWidth;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i], args[i + 1])
    {
        case ("--iommu", "vtd"):
            shape = IommuShape.IntelVtd;
            break;
        case ("--iommu", "generic"):
            shape = IommuShape.Generic;
            break;
        case ("--aw-bits", "39" or "48"):
            addressWidth = int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture);
            break;
        default:
            Console.Error.WriteLine("usage: Passthrough [--iommu vtd|generic] [--aw-bits 39|48] | --device /dev/vfio/devices/vfioN");
            return 64;
    }
}

if (args.Length % 2 != 0)
{
    Console.Error.WriteLine("usage: Passthrough [--iommu vtd|generic] [--aw-bits 39|48] | --device /dev/vfio/devices/vfioN");
    return 64;
}

var host = new Host(shape, addressWidth);
Report.Note($"machine: {(shape == IommuShape.IntelVtd ? $"Intel VT-d (QEMU intel-iommu, aw-bits {addressWidth})" : "generic IOMMU")}");
var vmm = new SimulatedProcess(host.Kernel) { MemlockLimit = 64UL << 20 };
const ulong GuestRamSize = 16UL << 20;

Report.Section("Open /dev/iommu and the NIC's cdev, bind, build the address space");
// Each wrapper owns its fd: disposing it closes the fd, as close(2) would (the tour closes them itself below, to
// show each close's errno; the disposal at the end then has nothing left to do).
var iommufdFd = vmm.OpenIommufd();
using var iommufd = vmm.File(iommufdFd);
var nicFd = vmm.OpenVfioDevice(host.NicNode);
using var nic = vmm.File(nicFd);
// The tour makes this mistake on purpose to show the kernel's answer; the analyzer reports it as IOMMU0101.
#pragma warning disable IOMMU0101, IOMMU0015
Report.Step("VFIO_DEVICE_ATTACH_IOMMUFD_PT before BIND", nic.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, PageTableId.None, 0, out _));
#pragma warning restore IOMMU0101, IOMMU0015
Report.Step("VFIO_DEVICE_BIND_IOMMUFD", nic.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out var nicId), $"device {nicId}");
Report.Step("IOMMU_GET_HW_INFO", iommufd.GetHwInfo(nicId, out var hwInfo, out byte[] hwData),
    $"{hwInfo.DataType}, {hwData.Length} bytes of driver data, capabilities {hwInfo.OutCapabilities}");
Report.Step("IOMMU_IOAS_ALLOC", iommufd.IoasAlloc(IommuIoasAllocFlags.None, out var ioas), $"{ioas}");
Report.Step("VFIO_DEVICE_ATTACH_IOMMUFD_PT (to the IOAS)", nic.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, ioas, 0, out var hwpt), $"automatic {hwpt}");

// IOVA ranges change with every attach: the helper asks for the count, then reads exactly that many.
Report.Step("IOMMU_IOAS_IOVA_RANGES", iommufd.IoasIovaRanges(ioas, out var ranges, out var alignment), $"{ranges.Length} ranges, IOVA alignment {alignment}");
foreach (var range in ranges)
{
    Report.Note($"usable IOVA {range}");
}

Report.Note($"the NIC's MSI window at 0x{host.MsiWindow:X} is reserved and missing from the list above");

Report.Section("Map guest memory: guest-physical address = IOVA");
var guestRam = vmm.Mmap(GuestRamSize, MemoryProtection.ReadWrite, MmapFlags.None, 2UL << 20);
var rw = IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable;
ulong iova = 0x1_0000_0000;
Report.Step("IOMMU_IOAS_MAP 16 MiB of guest RAM at IOVA 0x1_0000_0000", iommufd.IoasMap(rw, ioas, guestRam, GuestRamSize, ref iova),
    $"{vmm.User.LockedPages} pages pinned and charged");
var romVa = vmm.Mmap(4096);
vmm.Write(romVa, "firmware tables"u8);
ulong romIova = 0x2_0000_0000;
Report.Step("IOMMU_IOAS_MAP a read-only page at IOVA 0x2_0000_0000",
    iommufd.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, ioas, romVa, 4096, ref romIova));
ulong msiIova = host.MsiWindow;
Report.Step("IOMMU_IOAS_MAP over the reserved MSI window", iommufd.IoasMap(rw, ioas, guestRam, 4096, ref msiIova));

Report.Section("Let the device move data");
var packet = Encoding.ASCII.GetBytes("hello from the NIC");
var packetVa = vmm.Mmap(4096);
vmm.Write(packetVa, packet);
Report.Step("device writes a packet to IOVA 0x1_0000_1000", nic.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Write, 0x1_0000_1000, packetVa, (ulong)packet.Length));
var landed = new byte[packet.Length];
vmm.Read(guestRam + 0x1000, landed);
Report.Note($"guest RAM at +0x1000 now reads \"{Encoding.ASCII.GetString(landed)}\"");
var readBack = vmm.Mmap(4096);
Report.Step("device reads the firmware page", nic.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Read, romIova, readBack, 15));
Report.Step("device writes the read-only page", nic.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Write, romIova, packetVa, 4));
Report.Step("device writes an IOVA nothing is mapped at", nic.VfioDeviceSimDma(VfioDeviceSimDmaFlags.Write, 0x3_0000_0000, packetVa, 4));
foreach (var fault in host.Nic.Faults)
{
    Report.Note($"IOMMU fault: {fault.Device} {(fault.Write ? "write" : "read")} at 0x{fault.Iova:X}: {fault.Reason}");
}

Report.Section("The legacy card: its platform cannot isolate MSIs");
var legacyFd = vmm.OpenVfioDevice(host.LegacyNode);
using var legacy = vmm.File(legacyFd);
Report.Step("VFIO_DEVICE_BIND_IOMMUFD (allow_unsafe_interrupts off)", legacy.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out _));
// A deliberate, visible downgrade for the legacy card (IOMMU0010 would flag it anywhere else).
#pragma warning disable IOMMU0010
host.Kernel.AllowUnsafeInterrupts = true;
#pragma warning restore IOMMU0010
Report.Step("VFIO_DEVICE_BIND_IOMMUFD (allow_unsafe_interrupts on)", legacy.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, iommufd.Fd, 0, out var legacyId), $"device {legacyId}");
foreach (var message in host.Kernel.Log.Messages)
{
    Report.Note($"kernel: {message}");
}

Report.Step("close the legacy card's fd (unbinds it)", vmm.Close(legacyFd));
host.Kernel.AllowUnsafeInterrupts = false;

Report.Section("Tear down");
Report.Step("IOMMU_DESTROY the IOAS while the NIC is attached", iommufd.Destroy(ioas));
Report.Step("VFIO_DEVICE_DETACH_IOMMUFD_PT", nic.VfioDeviceDetachIommufdPt(VfioDeviceDetachFlags.None, 0));
ulong unmapped = ulong.MaxValue;
Report.Step("IOMMU_IOAS_UNMAP everything", iommufd.IoasUnmap(ioas, 0, ref unmapped), $"{unmapped} bytes");
Report.Step("IOMMU_DESTROY the IOAS", iommufd.Destroy(ioas));
Report.Step("close the NIC's fd", vmm.Close(nicFd));
Report.Step("close /dev/iommu", vmm.Close(iommufdFd));

Report.Section("Nothing leaked");
Report.Note($"pinned pages charged to the user: {vmm.User.LockedPages}; pins on guest RAM: {vmm.PinCount(guestRam)}");
Report.Note($"kernel warnings: {host.Kernel.Log.Warnings.Count}");
return vmm.User.LockedPages == 0 && host.Kernel.Log.Warnings.Count == 0 ? 0 : 1;
