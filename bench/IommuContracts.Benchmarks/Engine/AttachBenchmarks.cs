using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Attributes;

namespace IommuContracts.Benchmarks.Engine;

/// <summary>
/// Issue 4: VFIO_DEVICE_ATTACH_IOMMUFD_PT of a device to an IOAS that already holds 10^4 areas, against the same
/// attach to an empty IOAS. The first device on an IOAS gets a new automatic domain, which must be filled with
/// every area (pin + map); detaching it destroys the domain again (unmap + unpin), which makes the iteration
/// repeatable, so each operation is attach + detach.
/// </summary>
[SteadyStateJit]
[MemoryDiagnoser]
public class AttachBenchmarks
{
    public const int LiveAreas = 10_000;

    private const ulong PageSize = EngineHost.PageSize;
    private const ulong FirstIova = 1UL << 30;

    // Every area maps one page of this buffer.
    private const ulong BufferPages = 64;

    private EngineHost _host = null!;
    private IoasId _ioas;
    private VfioDevice _device = null!;

    [GlobalSetup(Target = nameof(AttachAndDetachEmptyIoas))]
    public void SetupEmptyIoas() => Setup(0);

    [GlobalSetup(Target = nameof(AttachAndDetachIoasWith10kAreas))]
    public void SetupIoasWithAreas() => Setup(LiveAreas);

    [Benchmark(Baseline = true)]
    public Errno AttachAndDetachEmptyIoas() => AttachAndDetach();

    [Benchmark]
    public Errno AttachAndDetachIoasWith10kAreas() => AttachAndDetach();

    private Errno AttachAndDetach()
    {
        var attached = _device.Attach(_ioas, out _);
        var detached = _device.Detach();
        return attached != Errno.None ? attached : detached;
    }

    private void Setup(int areas)
    {
        _host = new EngineHost();
        _ioas = _host.AllocIoas();
        var buffer = _host.Mmap(BufferPages * PageSize);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < areas; i++)
        {
            _host.MapFixed(_ioas, buffer + ((ulong)i % BufferPages * PageSize), PageSize, FirstIova + ((ulong)i * PageSize));
        }

        var populate = clock.Elapsed;
        _device = _host.AddVfioDevice();

        // One attach must build a domain holding every area, and the detach must take all of it away again.
        _device.AttachOrThrow(_ioas);
        var domains = _host.Domains(_ioas);
        SetupCheck.Require(domains.Count == 1, $"expected one automatic domain, found {domains.Count}");
        SetupCheck.Require(domains[0].EntryCount == areas, $"the new domain holds {domains[0].EntryCount} entries, expected {areas}");
        SetupCheck.Require(_host.Process.PinnedPages == areas, $"attach pinned {_host.Process.PinnedPages} pages, expected {areas}");
        SetupCheck.Ok(_device.Detach(), "VFIO_DEVICE_DETACH_IOMMUFD_PT");
        SetupCheck.Require(_host.Domains(_ioas).Count == 0, "detach of the last device must destroy the automatic domain");
        SetupCheck.Require(_host.Process.PinnedPages == 0, $"{_host.Process.PinnedPages} pages still pinned after detach");
        SetupCheck.Require(_host.AreaCount(_ioas) == areas, "attach + detach changed the areas");
        _host.RequireNoWarnings();
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"// setup: {areas} single-page areas mapped in {populate.TotalSeconds:F2} s before the attach benchmark"));
    }
}
