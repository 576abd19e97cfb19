using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using IommuContracts.Uapi;

namespace IommuContracts.Benchmarks.Engine;

/// <summary>
/// Issue 3: what one single-page IOMMU_IOAS_MAP + IOMMU_IOAS_UNMAP costs with 10^3 and with 10^6 live areas in
/// the IOAS, at a fixed IOVA and at an IOVA the engine chooses. The 10^3 case is each category's baseline, so
/// the Ratio column is the scaling factor itself: a logarithmic area tree gives about log(10^6)/log(10^3) = 2,
/// a linear walk about 1000.
/// </summary>
/// <remarks>
/// The live areas are packed from IOVA PAGE_SIZE upwards with one free page in the middle, as first-fit
/// allocation leaves them after an unmap. Both categories map into that hole, so FixedIova against AutoIova
/// is the price of the IOVA search. No domain is attached: nothing is pinned, the cost is the area tree.
/// </remarks>
[MemoryDiagnoser]
[SteadyStateJit]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class AreaScalingBenchmarks
{
    public const int FewAreas = 1_000;
    public const int ManyAreas = 1_000_000;

    private const ulong PageSize = EngineHost.PageSize;
    private const ulong FirstIova = PageSize;

    // Every area maps one page of this buffer, so 10^6 areas cost tree nodes, not memory behind them.
    private const ulong BufferPages = 256;

    private EngineHost _host = null!;
    private IoasId _ioas;
    private ulong _buffer;
    private ulong _holeIova;

    [GlobalSetup(Targets = [nameof(FixedIovaAmong1kAreas), nameof(AutoIovaAmong1kAreas)])]
    public void PopulateFewAreas() => Populate(FewAreas);

    [GlobalSetup(Targets = [nameof(FixedIovaAmong1MAreas), nameof(AutoIovaAmong1MAreas)])]
    public void PopulateManyAreas() => Populate(ManyAreas);

    [BenchmarkCategory("FixedIova")]
    [Benchmark(Baseline = true)]
    public ulong FixedIovaAmong1kAreas() => MapAndUnmapOnePage(EngineHost.FixedReadWrite);

    [BenchmarkCategory("FixedIova")]
    [Benchmark]
    public ulong FixedIovaAmong1MAreas() => MapAndUnmapOnePage(EngineHost.FixedReadWrite);

    [BenchmarkCategory("AutoIova")]
    [Benchmark(Baseline = true)]
    public ulong AutoIovaAmong1kAreas() => MapAndUnmapOnePage(EngineHost.ReadWrite);

    [BenchmarkCategory("AutoIova")]
    [Benchmark]
    public ulong AutoIovaAmong1MAreas() => MapAndUnmapOnePage(EngineHost.ReadWrite);

    private ulong MapAndUnmapOnePage(IommuIoasMapFlags flags)
    {
        var iova = _holeIova;
        var mapped = _host.DevIommu.IoasMap(flags, _ioas, _buffer, PageSize, ref iova);
        var length = PageSize;
        var unmapped = _host.DevIommu.IoasUnmap(_ioas, iova, ref length);
        if (mapped != Errno.None || unmapped != Errno.None)
        {
            throw new InvalidOperationException($"MAP returned {mapped}, UNMAP returned {unmapped}");
        }

        return iova;
    }

    private void Populate(int areas)
    {
        _host = new EngineHost();
        _ioas = _host.AllocIoas();
        _buffer = _host.Mmap(BufferPages * PageSize);
        var hole = areas / 2;
        _holeIova = FirstIova + ((ulong)hole * PageSize);

        var clock = Stopwatch.StartNew();
        for (var i = 0; i <= areas; i++)
        {
            if (i != hole)
            {
                _host.MapFixed(_ioas, _buffer + ((ulong)i % BufferPages * PageSize), PageSize, FirstIova + ((ulong)i * PageSize));
            }
        }

        var populate = clock.Elapsed;
        SetupCheck.Require(_host.AreaCount(_ioas) == areas, $"expected {areas} areas, the IOAS holds {_host.AreaCount(_ioas)}");

        // The hole is the only free page below the top of the packed range: first fit must find it.
        var auto = 0UL;
        SetupCheck.Ok(_host.DevIommu.IoasMap(EngineHost.ReadWrite, _ioas, _buffer, PageSize, ref auto), "automatic IOMMU_IOAS_MAP");
        SetupCheck.Require(auto == _holeIova, $"the automatic IOVA is 0x{auto:X}, expected the hole at 0x{_holeIova:X}");
        var taken = FirstIova;
        SetupCheck.Require(
            _host.DevIommu.IoasMap(EngineHost.FixedReadWrite, _ioas, _buffer, PageSize, ref taken) == Errno.EEXIST,
            "a fixed MAP over a live area must be EEXIST");
        _host.Unmap(_ioas, auto, PageSize);
        SetupCheck.Require(MapAndUnmapOnePage(EngineHost.FixedReadWrite) == _holeIova, "the fixed MAP did not land in the hole");
        SetupCheck.Require(_host.AreaCount(_ioas) == areas, "MAP + UNMAP changed the number of live areas");
        _host.RequireNoWarnings();

        var heap = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// setup: {areas} areas populated in {populate.TotalSeconds:F2} s ({populate.TotalMilliseconds * 1000 / areas:F2} µs per IOMMU_IOAS_MAP), managed heap {heap >> 20} MiB"));
    }
}
