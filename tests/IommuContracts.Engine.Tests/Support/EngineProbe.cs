using IommuContracts.Engine.Core;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.IoPageTable;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// Read-only access to engine state that the ioctl surface does not show: the context behind an fd, its
/// IOAS objects and their io_pagetables, and the object table's reference counts. Used for invariant
/// checks only; behaviour is always asserted through the ioctls.
/// </summary>
internal static class EngineProbe
{
    /// <summary>The context of an open /dev/iommu fd, or null if the fd is not one (or is closed).</summary>
    public static IommufdContext? Context(SimulatedProcess process, int fd)
    {
        if (!process.TryGetFile(fd, out var file))
        {
            return null;
        }

        try
        {
            return (file as IommufdFile)?.Context;
        }
        finally
        {
            file.Put();
        }
    }

    /// <summary>Every published IOAS of the context, in ID order.</summary>
    public static List<Ioas> IoasObjects(IommufdContext context)
        => context.Objects.Snapshot().OfType<Ioas>().ToList();

    /// <summary>The published IOAS with this ID, or null.</summary>
    public static Ioas? FindIoas(IommufdContext context, uint id)
        => context.Objects.Snapshot().OfType<Ioas>().FirstOrDefault(i => i.Id.Value == id);

    /// <summary>
    /// Problems with the context between ioctls: IDs left reserved, objects whose reference counts are not
    /// those of the kernel's model (<see cref="EngineInspection.RefcountProblems"/>), io_pagetable invariant violations, and pages objects whose
    /// reference count is not the number of areas using them (a leaked or missing kref on an error path).
    /// </summary>
    public static List<string> QuiescentProblems(IommufdContext context)
    {
        var problems = new List<string>();
        foreach (var id in context.Objects.ReservedIds())
        {
            problems.Add($"ID {id} is still reserved (unpublished) after the ioctl returned");
        }

        problems.AddRange(EngineInspection.RefcountProblems(context));
        var pagesUsers = new Dictionary<IoPages, int>(ReferenceEqualityComparer.Instance);
        foreach (var obj in context.Objects.Snapshot())
        {
            if (obj is Ioas ioas)
            {
                problems.AddRange(ioas.Iopt.CheckInvariants().Select(p => $"{obj}: {p}"));
                foreach (var pages in ioas.Iopt.Areas().Select(a => a.Pages).OfType<IoPages>())
                {
                    pagesUsers[pages] = pagesUsers.GetValueOrDefault(pages) + 1;
                }
            }
        }

        // Between ioctls only areas hold pages objects (no accesses exist here): one reference per area.
        foreach (var (pages, users) in pagesUsers)
        {
            if (pages.References != users)
            {
                problems.Add($"pages at 0x{pages.UserVa:X}: {pages.References} references for {users} area(s)");
            }
        }

        return problems;
    }

    /// <summary>An area as (iova, last, user VA of its first byte, prot, pages writable).</summary>
    public static (ulong Iova, ulong Last, ulong UserVa, IommuProt Prot, bool PagesWritable) Describe(Area area)
    {
        var pages = area.Pages ?? area.PendingPages;
        var userVa = pages is null ? 0 : unchecked(pages.UserVa + area.PagesStartByte);
        return (area.Iova, area.Last, userVa, area.Prot, pages?.Writable ?? false);
    }
}
