using IommuContracts.Engine.Kapi;

namespace IommuContracts.Analyzers.Tests.Twins;

/// <summary>The twins, by rule.</summary>
public static class Cases
{
    public static readonly IReadOnlyDictionary<string, TwinCase> All = new Dictionary<string, TwinCase>
    {
        ["IOMMU0001"] = new(
            TwinSource.DriverManagedDma(
                bad: """
                    var dev = lab.Device();
                    dev.DmaWrite(0x1000, new byte[8]);
                    return Errno.None;
                    """,
                @fixed: """
                    var dev = lab.Device();
                    var rc = Iommufd.DeviceBind(lab.Ctx, dev, out var idev, out _);
                    if (rc != Errno.None) return rc;
                    dev.DmaWrite(0x1000, new byte[8]);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """),
            run => TwinAssert.Violates(run, "IOMMU0001"), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0002"] = new(
            TwinSource.DriverManagedDma(
                bad: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceUnbind(idev!);
                    Console.WriteLine(Iommufd.DeviceToId(idev!));
                    return Errno.None;
                    """,
                @fixed: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(Iommufd.DeviceToId(idev!));
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """),
            run => TwinAssert.Violates(run, "IOMMU0002"), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0003"] = new(
            TwinSource.DriverManagedDma(
                bad: """
                    // The device's driver uses the DMA API, so the bind fails with EPERM and idev stays null.
                    Iommufd.DeviceBind(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi), out var idev, out _);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """,
                @fixed: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """),
            run => TwinAssert.Violates(run, "IOMMU0003"), run => TwinAssert.Returns(run, Errno.EPERM)),

        ["IOMMU0004"] = new(
            TwinSource.DriverManagedDma(
                bad: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, lab.Ioas, out var hwpt);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """,
                @fixed: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, lab.Ioas, out var hwpt);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """),
            run => TwinAssert.Violates(run, "IOMMU0004"), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0005"] = new(
            TwinSource.DriverManagedDma(
                bad: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, lab.Ioas, out var hwpt);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(hwpt);
                    rc = Iommufd.DeviceAttach(idev!, lab.Ioas, out hwpt);
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
                    """,
                @fixed: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, lab.Ioas, out var hwpt);
                    if (rc != Errno.None) { Iommufd.DeviceUnbind(idev!); return rc; }
                    Console.WriteLine(hwpt);
                    rc = Iommufd.DeviceReplace(idev!, lab.Ioas, out hwpt);
                    Console.WriteLine(hwpt);
                    Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return rc;
                    """),
            run => TwinAssert.Returns(run, Errno.EBUSY), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0006"] = new(
            TwinSource.DriverManagedDma(
                bad: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceReplace(idev!, lab.Ioas, out var hwpt);
                    Console.WriteLine(hwpt);
                    if (idev!.IsAttached) Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev);
                    return rc;
                    """,
                @fixed: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.DeviceAttach(idev!, lab.Ioas, out var hwpt);
                    Console.WriteLine(hwpt);
                    if (idev!.IsAttached) Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev);
                    return rc;
                    """),
            run => TwinAssert.Returns(run, Errno.EINVAL), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0007"] = new(
            TwinSource.DriverManagedDma(
                bad: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceDetach(idev!);
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """,
                @fixed: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    if (idev!.IsAttached) Iommufd.DeviceDetach(idev);
                    Iommufd.DeviceUnbind(idev);
                    return Errno.None;
                    """),
            run => TwinAssert.Violates(run, "IOMMU0007"), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0008"] = new(
            TwinSource.DriverManagedDma(
                bad: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(Iommufd.DeviceToId(idev!));
                    return Errno.None;
                    """,
                @fixed: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(Iommufd.DeviceToId(idev!));
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """),
            run => Assert.Equal(1, run.Lab.LeakedBindings),
            run =>
            {
                TwinAssert.Returns(run, Errno.None);
                Assert.Equal(0, run.Lab.LeakedBindings);
            }),

        ["IOMMU0009"] = new("""
            public static class Twin
            {
                // Binding a device whose driver does not manage DMA itself: the kernel refuses.
                public static Errno Bad(TwinLab lab)
                {
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(driver: DeviceDriverKind.DmaApi), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                }

                public static Errno Fixed(TwinLab lab) => Driver.Probe(lab);

                [DriverManagedDma]
                private static class Driver
                {
                    public static Errno Probe(TwinLab lab)
                    {
                        var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(), out var idev, out _);
                        if (rc != Errno.None) return rc;
                        Iommufd.DeviceUnbind(idev!);
                        return Errno.None;
                    }
                }
            }
            """, run => TwinAssert.Returns(run, Errno.EPERM), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0010"] = new(
            TwinSource.DriverManagedDma(
                bad: """
                    lab.Kernel.AllowUnsafeInterrupts = true;
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(msiIsolation: false), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """,
                @fixed: """
                    var rc = Iommufd.DeviceBind(lab.Ctx, lab.Device(msiIsolation: false), out var idev, out _);
                    if (rc != Errno.None) return rc;
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                    """),
            run =>
            {
                // The downgrade works, and says so in the kernel log.
                TwinAssert.Returns(run, Errno.None);
                Assert.Contains(run.Lab.Kernel.Log.Messages, m => m.Contains("allow_unsafe_interrupts", StringComparison.Ordinal));
            },
            run => TwinAssert.Returns(run, Errno.EPERM)),

        ["IOMMU0013"] = new("""
            public sealed class Ops : IIommufdAccessOps
            {
                public bool NeedsPinPages => true;

                public void Unmap(ulong iova, ulong length) { }
            }

            public static class Twin
            {
                public static Errno Bad(TwinLab lab)
                {
                    var rc = Iommufd.AccessCreate(lab.Ctx, new Ops(), out var access, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.AccessPinPages(access!, 0x1000, 0x1000, false, out _);
                    Iommufd.AccessDestroy(access!);
                    return rc;
                }

                public static Errno Fixed(TwinLab lab)
                {
                    var va = lab.Process.Mmap(0x1000);
                    var iova = 0UL;
                    var rc = lab.IommufdFile.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, lab.Ioas, va, 0x1000, ref iova);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.AccessCreate(lab.Ctx, new Ops(), out var access, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.AccessAttach(access!, lab.Ioas);
                    if (rc == Errno.None)
                    {
                        rc = Iommufd.AccessPinPages(access!, iova, 0x1000, false, out _);
                        if (rc == Errno.None) Iommufd.AccessUnpinPages(access!, iova, 0x1000);
                        Iommufd.AccessDetach(access!);
                    }

                    Iommufd.AccessDestroy(access!);
                    return rc;
                }
            }
            """, run => TwinAssert.Returns(run, Errno.ENOENT), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0014"] = new("""
            public sealed class Forgetful : IIommufdAccessOps
            {
                public IommufdAccess? Access;
                public bool NeedsPinPages => true;

                public void Unmap(ulong iova, ulong length) => Console.WriteLine($"asked to unpin 0x{iova:X}");

                public Errno Pin(ulong iova) => Iommufd.AccessPinPages(Access!, iova, 0x1000, false, out _);
            }

            public sealed class Careful : IIommufdAccessOps
            {
                public IommufdAccess? Access;
                public ulong Pinned;
                public bool NeedsPinPages => true;

                public void Unmap(ulong iova, ulong length)
                {
                    if (Pinned != 0) Iommufd.AccessUnpinPages(Access!, Pinned, 0x1000);
                    Pinned = 0;
                }

                public Errno Pin(ulong iova)
                {
                    var rc = Iommufd.AccessPinPages(Access!, iova, 0x1000, false, out _);
                    if (rc == Errno.None) Pinned = iova;
                    return rc;
                }
            }

            public static class Twin
            {
                public static Errno Bad(TwinLab lab)
                {
                    var va = lab.Process.Mmap(0x1000);
                    var iova = 0UL;
                    var rc = lab.IommufdFile.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, lab.Ioas, va, 0x1000, ref iova);
                    if (rc != Errno.None) return rc;
                    var ops = new Forgetful();
                    rc = Iommufd.AccessCreate(lab.Ctx, ops, out var access, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.AccessAttach(access!, lab.Ioas);
                    if (rc != Errno.None) { Iommufd.AccessDestroy(access!); return rc; }
                    ops.Access = access;
                    rc = ops.Pin(iova);
                    if (rc == Errno.None)
                    {
                        var length = 0x1000UL;
                        rc = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
                        Console.WriteLine(length);
                        Iommufd.AccessUnpinPages(access!, iova, 0x1000);
                    }

                    Iommufd.AccessDetach(access!);
                    Iommufd.AccessDestroy(access!);
                    return rc;
                }

                public static Errno Fixed(TwinLab lab)
                {
                    var va = lab.Process.Mmap(0x1000);
                    var iova = 0UL;
                    var rc = lab.IommufdFile.IoasMap(IommuIoasMapFlags.Readable | IommuIoasMapFlags.Writeable, lab.Ioas, va, 0x1000, ref iova);
                    if (rc != Errno.None) return rc;
                    var ops = new Careful();
                    rc = Iommufd.AccessCreate(lab.Ctx, ops, out var access, out _);
                    if (rc != Errno.None) return rc;
                    rc = Iommufd.AccessAttach(access!, lab.Ioas);
                    if (rc != Errno.None) { Iommufd.AccessDestroy(access!); return rc; }
                    ops.Access = access;
                    rc = ops.Pin(iova);
                    if (rc == Errno.None)
                    {
                        var length = 0x1000UL;
                        rc = lab.IommufdFile.IoasUnmap(lab.Ioas, iova, ref length);
                        Console.WriteLine(length);
                    }

                    Iommufd.AccessDetach(access!);
                    Iommufd.AccessDestroy(access!);
                    return rc;
                }
            }
            """, run => TwinAssert.Returns(run, Errno.EDEADLOCK), run => TwinAssert.Returns(run, Errno.None), BadMethod: "Unmap"),

        ["IOMMU0101"] = new(
            TwinSource.Plain(
                bad: """
                    var device = lab.Process.File(lab.Process.OpenVfioDevice(lab.VfioNode()));
                    var rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, lab.Ioas, 0, out var hwpt);
                    Console.WriteLine(hwpt);
                    return rc;
                    """,
                @fixed: """
                    var device = lab.Process.File(lab.Process.OpenVfioDevice(lab.VfioNode()));
                    var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, lab.Fd, 0, out var id);
                    if (rc != Errno.None) return rc;
                    rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, lab.Ioas, 0, out var hwpt);
                    Console.WriteLine($"{id} {hwpt}");
                    return rc;
                    """),
            run => TwinAssert.Returns(run, Errno.EINVAL), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0103"] = new(
            TwinSource.Plain(
                bad: """
                    // The device reserves the MSI window at 0xFEE00000: after the attach that IOVA is no longer usable.
                    var device = lab.Process.File(lab.Process.OpenVfioDevice(lab.VfioNode()));
                    var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, lab.Fd, 0, out _);
                    if (rc != Errno.None) return rc;
                    rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, lab.Ioas, 0, out var hwpt);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(hwpt);
                    var iova = 0xFEE0_0000UL;
                    return lab.IommufdFile.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, lab.Ioas, lab.Process.Mmap(0x1000), 0x1000, ref iova);
                    """,
                @fixed: """
                    var device = lab.Process.File(lab.Process.OpenVfioDevice(lab.VfioNode()));
                    var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, lab.Fd, 0, out _);
                    if (rc != Errno.None) return rc;
                    rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, lab.Ioas, 0, out var hwpt);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(hwpt);
                    rc = lab.IommufdFile.IoasIovaRanges(lab.Ioas, out var ranges, out _);
                    if (rc != Errno.None) return rc;
                    var iova = (ranges[0].Start + 0xFFF) & ~0xFFFUL;
                    return lab.IommufdFile.IoasMap(IommuIoasMapFlags.FixedIova | IommuIoasMapFlags.Readable, lab.Ioas, lab.Process.Mmap(0x1000), 0x1000, ref iova);
                    """),
            run => TwinAssert.Returns(run, Errno.EINVAL), run => TwinAssert.Returns(run, Errno.None)),

        ["IOMMU0105"] = new(
            TwinSource.Plain(
                bad: """
                    var device = lab.Process.File(lab.Process.OpenVfioDevice(lab.VfioNode()));
                    var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, lab.Fd, 0, out _);
                    if (rc != Errno.None) return rc;
                    rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, lab.Ioas, 0, out var hwpt);
                    if (rc != Errno.None) return rc;
                    var ioas = IoasId.FromObjectId(hwpt);
                    return lab.IommufdFile.IoasIovaRanges(ioas, out _, out _);
                    """,
                @fixed: """
                    var device = lab.Process.File(lab.Process.OpenVfioDevice(lab.VfioNode()));
                    var rc = device.VfioDeviceBindIommufd(VfioDeviceBindFlags.None, lab.Fd, 0, out _);
                    if (rc != Errno.None) return rc;
                    rc = device.VfioDeviceAttachIommufdPt(VfioDeviceAttachFlags.None, lab.Ioas, 0, out var hwpt);
                    if (rc != Errno.None) return rc;
                    Console.WriteLine(hwpt);
                    return lab.IommufdFile.IoasIovaRanges(lab.Ioas, out _, out _);
                    """),
            run => TwinAssert.Returns(run, Errno.ENOENT), run => TwinAssert.Returns(run, Errno.None)),
    };
}
