using System.Runtime.CompilerServices;
using System.Text;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Drivers;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Iommu;
using IommuContracts.Engine.IoPageTable;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// Read-only looks at engine internals for tests that must prove "nothing changed" or "nothing is half
/// built": the context behind an fd, a canonical dump of every piece of state an ioctl may touch, and the
/// refcount and domain-mirror invariants of the kernel's object model (spec §1.4, §7). Nothing here calls
/// a fault point, so it is safe to use while fail-nth is armed.
/// </summary>
internal static class EngineInspection
{
    /// <summary>The context of the /dev/iommu open at <paramref name="fd"/> (the fd → file map is private).</summary>
    public static IommufdContext ContextOf(SimulatedProcess process, int fd)
    {
        Assert.True(process.TryGetFile(fd, out var file), $"fd {fd} is not open");
        try
        {
            return Assert.IsType<IommufdFile>(file).Context;
        }
        finally
        {
            file.Put();
        }
    }

    /// <summary>
    /// A canonical text of the state an ioctl on <paramref name="context"/> may change: objects with their
    /// counters, reserved IDs, per IOAS the areas (with their pages objects), usable and allowed IOVA,
    /// alignment and HWPT list, per paging HWPT its domain's entry count, accesses' pins, the group count,
    /// the pin count of every page of the test buffer, the process's and the user's accounting, open fds
    /// and the number of kernel warnings. Two equal texts mean "no visible change".
    /// </summary>
    public static string Snapshot(SimulatedProcess process, IommufdContext context, ulong buffer, ulong bufferSize)
    {
        var text = new StringBuilder();
        var objects = context.Objects.Snapshot();
        text.Append("objects:");
        foreach (var obj in objects)
        {
            text.Append($" {obj.RawId}:{obj.Kind}:u{obj.Users}:s{obj.ShortTermUsers}");
        }

        text.AppendLine();
        text.AppendLine($"reserved ids: [{string.Join(", ", context.Objects.ReservedIds())}], tombstones [{string.Join(", ", context.Objects.TombstoneIds())}]");
        foreach (var ioas in objects.OfType<Ioas>())
        {
            var iopt = ioas.Iopt;
            text.Append($"ioas {ioas.RawId}: align {iopt.IovaAlignment}, domains {iopt.Domains.Count}, areas [");
            text.AppendJoin(", ", iopt.Areas().Select(Describe));
            text.Append("], usable [");
            text.AppendJoin(", ", iopt.UsableRanges().Select(r => $"{r.Start:X}-{r.Last:X}"));
            text.Append("], allowed [");
            text.AppendJoin(", ", iopt.AllowedRanges().Select(r => $"{r.Start:X}-{r.Last:X}"));
            lock (ioas.Mutex)
            {
                text.Append("], hwpts [");
                text.AppendJoin(", ", ioas.Hwpts.Select(h => h.RawId));
            }

            text.AppendLine("]");
        }

        foreach (var hwpt in objects.OfType<HwptPaging>())
        {
            text.AppendLine($"hwpt {hwpt.RawId}: ioas {hwpt.Ioas.RawId}, auto {hwpt.AutoDomain}, entries {hwpt.Domain.EntryCount}");
        }

        foreach (var access in objects.OfType<Access>())
        {
            lock (access.Pins)
            {
                text.AppendLine($"access {access.RawId}: ioas {access.Ioas?.RawId}, pins [{string.Join(", ", access.Pins.Select(p => $"{p.Iova:X}+{p.Length:X}"))}]");
            }
        }

        text.AppendLine($"groups: {context.GroupCount}");
        text.Append("buffer pins:");
        for (ulong offset = 0; offset < bufferSize; offset += SimulatedProcess.PageSize)
        {
            var pins = process.PinCount(buffer + offset);
            if (pins != 0)
            {
                text.Append($" {offset / SimulatedProcess.PageSize}x{pins}");
            }
        }

        text.AppendLine();
        text.AppendLine($"accounting: user locked {process.User.LockedPages}, process locked {process.LockedPages}, pinned {process.PinnedPages}");
        text.AppendLine($"fds: [{string.Join(", ", process.OpenFds)}]");
        text.AppendLine($"warnings: {process.Kernel.Log.Warnings.Count}");
        return text.ToString();
    }

    /// <summary>
    /// The refcount model of spec §1.4 / §7 between ioctls (no lookup in flight, so every short-term count is
    /// the bias 1): IOAS users = 1 + paging HWPTs + attached accesses; paging HWPT = 1 + attached devices (RID
    /// and each PASID) + nested children on it + vIOMMUs on it; nested HWPT = 1 + attached devices (RID and each
    /// PASID); device = 1 + the driver's + 1 if attached + 1 per attached PASID; access = 1 + the driver's (internal ones: their creator's); selftest object = 1; fault
    /// queue = 1 + its open fd + HWPTs delivering to it; vIOMMU = 1 + vDEVICEs + nested HWPTs + event queues +
    /// HW queues + mappings of its page; vDEVICE = 1; event queue = 1 + its open fd; HW queue = 1 + the queue
    /// depending on it.
    /// </summary>
    public static List<string> RefcountProblems(IommufdContext context)
    {
        var problems = new List<string>();
        var objects = context.Objects.Snapshot();
        var devices = objects.OfType<Device>().ToList();
        foreach (var obj in objects)
        {
            var expected = obj switch
            {
                Ioas ioas => 1 + objects.OfType<HwptPaging>().Count(h => ReferenceEquals(h.Ioas, ioas))
                               + objects.OfType<Access>().Count(a => ReferenceEquals(a.Ioas, ioas)),
                HwptPaging paging => 1 + devices.Count(d => ReferenceEquals(d.AttachedHwpt, paging)) + PasidUsers(devices, paging)
                                       + objects.OfType<HwptNested>().Count(n => n.Viommu is null && ReferenceEquals(n.Parent, paging))
                                       + objects.OfType<Viommu>().Count(v => ReferenceEquals(v.Hwpt, paging)),
                HwptNested nested => 1 + devices.Count(d => ReferenceEquals(d.AttachedHwpt, nested)) + PasidUsers(devices, nested),
                Device device => 2 + (device.AttachedHwpt is null ? 0 : 1) + device.AttachedPasids.Count,
                Access => 2,
                SelftestObject => 1,
                FaultQueue fault => 1 + (fault.File is { IsReleased: false } ? 1 : 0)
                                      + objects.OfType<HwPageTable>().Count(h => ReferenceEquals(h.Fault, fault)),
                Viommu viommu => 1 + objects.OfType<Vdevice>().Count(v => ReferenceEquals(v.Viommu, viommu))
                                   + objects.OfType<HwptNested>().Count(n => ReferenceEquals(n.Viommu, viommu))
                                   + objects.OfType<Veventq>().Count(q => ReferenceEquals(q.Viommu, viommu))
                                   + objects.OfType<HwQueue>().Count(q => ReferenceEquals(q.Viommu, viommu)),
                Vdevice => 1,
                Veventq queue => 1 + (queue.File is { IsReleased: false } ? 1 : 0),
                _ => obj.Users,
            };

            if (obj.Users != expected)
            {
                problems.Add($"{obj}: users {obj.Users}, expected {expected}");
            }

            if (obj.ShortTermUsers != 1)
            {
                problems.Add($"{obj}: short-term users {obj.ShortTermUsers} between ioctls, expected the bias 1");
            }
        }

        return problems;
    }

    // Each device that attached a PASID to the HWPT holds one user on it.
    private static int PasidUsers(List<Device> devices, HwPageTable hwpt)
        => devices.Sum(d => d.AttachedPasids.Count(pasid => ReferenceEquals(d.PasidHwpt(pasid), hwpt)));

    /// <summary>
    /// Every paging HWPT's domain holds exactly the published areas of its IOAS (one 2048-byte mock entry
    /// per IO page, nothing else) and, when <paramref name="translate"/> is set, each IO page translates to
    /// the physical page pinned behind the area.
    /// </summary>
    public static List<string> DomainMirrorProblems(IommufdContext context, bool translate)
    {
        var problems = new List<string>();
        foreach (var hwpt in context.Objects.Snapshot().OfType<HwptPaging>())
        {
            var domain = hwpt.Domain;
            var ioPage = domain.MinPageSize;
            if ((domain.PageSizeBitmap & (domain.PageSizeBitmap - 1)) != 0)
            {
                continue;
            }

            var areas = hwpt.Ioas.Iopt.Areas();
            var inIoas = hwpt.Ioas.Iopt.Domains.Contains(domain);
            // A revoked dma-buf's areas are mapped nowhere.
            var expected = inIoas ? areas.Where(a => a.Pages?.Source is not DmabufSource { Revoked: true }).Sum(a => (long)(a.Length / ioPage)) : 0;
            if (domain.EntryCount != expected)
            {
                problems.Add($"{hwpt}: domain holds {domain.EntryCount} IO pages, its IOAS maps {expected} (domain in the IOAS: {inIoas})");
            }

            if (!translate || !inIoas)
            {
                continue;
            }

            foreach (var area in areas)
            {
                if (area.Pages is not { } pages)
                {
                    continue;
                }

                for (ulong offset = 0; offset < area.Length; offset += ioPage)
                {
                    var startByte = area.PagesStartByte + offset;
                    ulong expectedPhysical;
                    if (pages.Source is DmabufSource dmabuf)
                    {
                        if (!dmabuf.TryPhysicalOf(startByte, out expectedPhysical))
                        {
                            if (domain.Translate(area.Iova + offset) is not null)
                            {
                                problems.Add($"{hwpt}: IOVA 0x{area.Iova + offset:X} of revoked dma-buf {area} still translates");
                            }

                            break;
                        }
                    }
                    else
                    {
                        try
                        {
                            expectedPhysical = pages.PinnedPage(startByte / SimulatedProcess.PageSize).PhysicalAddress + (startByte % SimulatedProcess.PageSize);
                        }
                        catch (InvalidOperationException e)
                        {
                            problems.Add($"{hwpt}: {area} is mapped but {e.Message}");
                            break;
                        }
                    }

                    if (domain.Translate(area.Iova + offset) is not { } mapped || mapped.Physical != expectedPhysical)
                    {
                        problems.Add($"{hwpt}: IOVA 0x{area.Iova + offset:X} does not translate to the pinned page of {area}");
                        break;
                    }
                }
            }
        }

        return problems;
    }

    /// <summary>
    /// What the IOMMU does agrees with what iommufd recorded: every bound device's group is owned for DMA
    /// and translates through the domain of the HWPT the device is attached to (a domain that is one of
    /// its IOAS's), or blocks DMA when the device is not attached.
    /// </summary>
    public static List<string> AttachmentProblems(IommufdContext context)
    {
        var problems = new List<string>();
        foreach (var device in context.Objects.Snapshot().OfType<Device>())
        {
            var dev = device.Dev;
            if (!dev.IsBoundToIommufd || dev.Group.OwnerCount == 0)
            {
                problems.Add($"{device}: {dev.Address} is in the table but not bound (bound {dev.IsBoundToIommufd}, DMA owners {dev.Group.OwnerCount})");
            }

            var domain = dev.Group.Domain;
            if (device.AttachedHwpt is { } hwpt)
            {
                if (!ReferenceEquals(domain.Paging, hwpt.TranslatingDomain))
                {
                    problems.Add($"{device}: attached to {hwpt} but its group translates through {domain}");
                }

                if (!hwpt.PagingParent.Ioas.Iopt.Domains.Contains(hwpt.TranslatingDomain))
                {
                    problems.Add($"{device}: attached to {hwpt}, whose domain is not in {hwpt.PagingParent.Ioas}");
                }

                if (!context.Objects.Snapshot().Contains(hwpt))
                {
                    problems.Add($"{device}: attached to {hwpt}, which is not in the table");
                }
            }
            else if (!ReferenceEquals(domain, GroupDomain.Blocked))
            {
                problems.Add($"{device}: not attached, but its group's DMA is {domain} instead of blocked");
            }
        }

        return problems;
    }

    /// <summary>A device back with the kernel: not bound, no DMA owner, the DMA API's default domain.</summary>
    public static string? ReleasedDeviceProblem(PciDevice device)
        => device.IsBoundToIommufd || device.Group.OwnerCount != 0 || !ReferenceEquals(device.Group.Domain, GroupDomain.DmaApi)
            ? $"{device.Address}: bound {device.IsBoundToIommufd}, DMA owners {device.Group.OwnerCount}, group DMA {device.Group.Domain}"
            : null;

    /// <summary>Structural invariants of every IOAS (io_pagetable) of the context.</summary>
    public static List<string> IoasInvariantProblems(IommufdContext context)
        => context.Objects.Snapshot().OfType<Ioas>()
            .SelectMany(ioas => ioas.Iopt.CheckInvariants().Select(p => $"{ioas}: {p}"))
            .ToList();

    private static string Describe(Area area)
        => $"{area.Iova:X}-{area.Last:X}@{area.PagesStartByte:X}:{area.Prot}"
           + (area.Pages is { } pages ? $":pages#{RuntimeHelpers.GetHashCode(pages):X}/r{pages.References}/p{pages.PinnedPages}" : ":unpublished")
           + (area.AccessPins != 0 ? $":acc{area.AccessPins}" : string.Empty);
}
