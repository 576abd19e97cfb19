namespace IommuContracts.Engine.IoPageTable;

// Read-only views for tests, samples and invariant checks.
internal sealed partial class IoPageTable
{
    /// <summary>A snapshot of the areas in IOVA order.</summary>
    public List<Area> Areas()
    {
        lock (Lock)
        {
            return _areas.All().Select(n => n.Value).ToList();
        }
    }

    /// <summary>The pages object of every published area, in IOVA order; the caller holds <see cref="Lock"/>.</summary>
    public List<IoPages> PagesOfAreasLocked()
        => _areas.All().Select(n => n.Value.Pages).OfType<IoPages>().ToList();

    /// <summary>The area covering <paramref name="iova"/>, if any.</summary>
    public Area? AreaAt(ulong iova)
    {
        lock (Lock)
        {
            return _areas.FirstIntersecting(iova, iova)?.Value;
        }
    }

    /// <summary>Structural invariants; returns the violations found (empty when healthy).</summary>
    public List<string> CheckInvariants()
    {
        var problems = new List<string>();
        lock (Lock)
        {
            Area? previous = null;
            foreach (var node in _areas.All())
            {
                var area = node.Value;
                if (previous is not null && area.Iova <= previous.Last)
                {
                    problems.Add($"{area} overlaps {previous}");
                }

                if (area.Pages is null)
                {
                    problems.Add($"{area} is unpublished outside an operation");
                }
                else if (area.Pages.References <= 0)
                {
                    problems.Add($"{area} points at released pages");
                }

                if ((area.Iova & (IovaAlignment - 1)) != 0 || (area.Length & (IovaAlignment - 1)) != 0)
                {
                    problems.Add($"{area} breaks the IOVA alignment {IovaAlignment}");
                }

                if (_reserved.FirstIntersecting(area.Iova, area.Last) is { } reserved)
                {
                    problems.Add($"{area} intersects reserved {reserved}");
                }

                previous = area;
            }
        }

        return problems;
    }
}
