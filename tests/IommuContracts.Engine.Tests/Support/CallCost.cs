using System.Diagnostics;

namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// What one call cost the calling thread: managed bytes allocated (<see cref="GC.GetAllocatedBytesForCurrentThread"/>)
/// and wall time. The engine must pay for the pages a call actually reaches, never for a length it was only
/// told, so the bound is a fixed allowance plus a fixed amount per page touched.
/// </summary>
internal readonly record struct CallCost(long AllocatedBytes, TimeSpan Elapsed)
{
    /// <summary>Allowance of any call: object table slots, page-table nodes, a 4096-page pin chunk and the like.</summary>
    public const long FixedBytes = 1L << 20;

    /// <summary>Allowance per page touched: the page's frame, its pin bookkeeping, its PTEs and a copy of its bytes.</summary>
    public const long BytesPerPage = 16L << 10;

    /// <summary>Wall time any single call may take, generous for a loaded 2-core CI machine.</summary>
    public static readonly TimeSpan MaxElapsed = TimeSpan.FromSeconds(5);

    public static long BoundFor(long pagesTouched) => FixedBytes + (BytesPerPage * Math.Max(0, pagesTouched));

    /// <summary>Runs <paramref name="call"/> once and measures it.</summary>
    public static CallCost Of(Action call)
    {
        var stopwatch = Stopwatch.StartNew();
        var before = GC.GetAllocatedBytesForCurrentThread();
        call();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        return new CallCost(allocated, stopwatch.Elapsed);
    }

    /// <summary>Asserts the call stayed within the allowance for <paramref name="pagesTouched"/> pages and the time bound.</summary>
    public void AssertWithin(long pagesTouched, string what)
    {
        Assert.True(AllocatedBytes <= BoundFor(pagesTouched),
            $"{what} allocated {AllocatedBytes:N0} bytes; the bound for {pagesTouched} touched pages is {BoundFor(pagesTouched):N0}");
        Assert.True(Elapsed <= MaxElapsed, $"{what} took {Elapsed.TotalMilliseconds:N0} ms (bound {MaxElapsed.TotalSeconds} s)");
    }

    public override string ToString() => $"{AllocatedBytes:N0} bytes, {Elapsed.TotalMilliseconds:N1} ms";
}
