using System.Globalization;

namespace IommuContracts.Benchmarks;

/// <summary>What a corpus file is: a kAPI driver or unrelated ordinary code.</summary>
public enum CorpusFileKind
{
    Driver,
    Ordinary,
}

/// <summary>One source file of the analyzer corpus.</summary>
public sealed record CorpusFile(CorpusFileKind Kind, int Ordinal, string Path, string Text, int Lines);

/// <summary>A bug planted on purpose: the diagnostic <see cref="Rule"/> must be reported inside <see cref="Method"/> of <see cref="Path"/>.</summary>
public sealed record SeededBug(string Rule, string Path, string Method);

/// <summary>
/// Source text of a driver corpus for the analyzer benchmarks: half of the lines are device drivers written
/// against the iommufd kAPI (bind / attach / replace / detach / unbind of <c>IommufdDevice</c> handles, create /
/// attach / pin / unpin / destroy of <c>IommufdAccess</c> handles, handles kept in fields, Errno checks in every
/// form the analyzers understand, try/finally, locks, loops, lambdas, and an <see cref="IDisposable"/> binding
/// wrapper that the dispose analyzers can follow); the other half is ordinary VMM code with records, LINQ,
/// async and <c>using</c> blocks. Files alternate so that both halves grow together, and a smaller corpus is
/// always a prefix of a larger one, so two sizes differ in size only.
/// </summary>
/// <remarks>
/// Bugs are planted at fixed intervals: every <see cref="SeedEvery"/>th driver unbinds a device while it is
/// still attached (IOMMU0004) or forgets to unbind one (IOMMU0008) and drops a binding wrapper without
/// disposing it (CA2000 / IDISP001); every <see cref="SeedEvery"/>th ordinary file drops a
/// <c>CancellationTokenSource</c>. Everything else is the correct idiom and must stay free of diagnostics.
/// </remarks>
public static class AnalyzerCorpus
{
    public const int SeedEvery = 10;

    /// <summary>Drivers whose ordinal has this remainder unbind while attached (IOMMU0004, in <c>Reset</c>).</summary>
    public const int UnbindWhileAttachedRemainder = 3;

    /// <summary>Drivers whose ordinal has this remainder leak a binding (IOMMU0008, in <c>Identify</c>) and a wrapper (in <c>ProbeOne</c>).</summary>
    public const int LeakRemainder = 7;

    /// <summary>Ordinary files whose ordinal has this remainder leak a CancellationTokenSource (in <c>DrainWithTimeoutAsync</c>).</summary>
    public const int OrdinaryLeakRemainder = 5;

    private static readonly string[] DeviceKinds = ["Nic", "Nvme", "Gpu", "Fpga", "Crypto", "Dma", "Sound", "Usb"];

    private static readonly string[] Areas = ["Memory", "Scheduling", "Net", "Storage", "Telemetry", "Config", "Migration", "Interrupts"];

    public static bool UnbindsWhileAttached(int driver) => driver % SeedEvery == UnbindWhileAttachedRemainder;

    public static bool Leaks(int driver) => driver % SeedEvery == LeakRemainder;

    public static bool LeaksTokenSource(int ordinary) => ordinary % SeedEvery == OrdinaryLeakRemainder;

    public static string DriverName(int driver) => DeviceKinds[driver % DeviceKinds.Length] + driver.ToString("D4", CultureInfo.InvariantCulture);

    /// <summary>The first files of the corpus whose lines add up to at least <paramref name="lines"/>.</summary>
    public static IReadOnlyList<CorpusFile> Create(int lines)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(lines);
        var files = new List<CorpusFile>();
        int total = 0, driverLines = 0, ordinaryLines = 0, drivers = 0, ordinaries = 0;
        while (total < lines)
        {
            // The half that is behind gets the next file, so the two halves stay within one file of each other.
            var file = driverLines <= ordinaryLines ? DriverFile(drivers++) : OrdinaryFile(ordinaries++);
            files.Add(file);
            total += file.Lines;
            if (file.Kind == CorpusFileKind.Driver)
            {
                driverLines += file.Lines;
            }
            else
            {
                ordinaryLines += file.Lines;
            }
        }

        return files;
    }

    /// <summary>The IOMMU contract bugs planted in <paramref name="files"/>: exactly what our analyzers must report.</summary>
    public static IReadOnlyList<SeededBug> ContractBugs(IEnumerable<CorpusFile> files)
        => files.Where(f => f.Kind == CorpusFileKind.Driver)
            .SelectMany(f => new[]
            {
                UnbindsWhileAttached(f.Ordinal) ? new SeededBug("IOMMU0004", f.Path, "Reset") : null,
                Leaks(f.Ordinal) ? new SeededBug("IOMMU0008", f.Path, "Identify") : null,
            })
            .OfType<SeededBug>()
            .ToList();

    /// <summary>The dispose leaks planted in <paramref name="files"/> (rule left open: each dispose analyzer has its own IDs).</summary>
    public static IReadOnlyList<SeededBug> DisposeLeaks(IEnumerable<CorpusFile> files)
        => files.Select(f => f.Kind switch
            {
                CorpusFileKind.Driver when Leaks(f.Ordinal) => new SeededBug("dispose", f.Path, "ProbeOne"),
                CorpusFileKind.Ordinary when LeaksTokenSource(f.Ordinal) => new SeededBug("dispose", f.Path, "DrainWithTimeoutAsync"),
                _ => null,
            })
            .OfType<SeededBug>()
            .ToList();

    private static CorpusFile DriverFile(int ordinal)
    {
        var text = Driver(ordinal);
        return new CorpusFile(CorpusFileKind.Driver, ordinal, $"Drivers/{DriverName(ordinal)}.cs", text, CountLines(text));
    }

    private static CorpusFile OrdinaryFile(int ordinal)
    {
        var text = Ordinary(ordinal);
        var area = Areas[ordinal % Areas.Length];
        return new CorpusFile(CorpusFileKind.Ordinary, ordinal, $"Vmm/{area}/{area}{ordinal:D4}.cs", text, CountLines(text));
    }

    private static int CountLines(string text) => text.Count(c => c == '\n') + 1;

    private static string Driver(int ordinal)
    {
        var d = DriverName(ordinal);

        // The seeded variants leave out one line of the correct idiom.
        var detachBeforeUnbind = UnbindsWhileAttached(ordinal) ? string.Empty : "Iommufd.DeviceDetach(idev!);";
        var unbindAfterIdentify = Leaks(ordinal) ? string.Empty : "Iommufd.DeviceUnbind(idev!);";
        var disposeProbed = Leaks(ordinal) ? string.Empty : "binding.Dispose();";
        var seeded = UnbindsWhileAttached(ordinal) ? " Seeded: IOMMU0004 in Reset." : Leaks(ordinal) ? " Seeded: IOMMU0008 in Identify, a dispose leak in ProbeOne." : string.Empty;
        return $$"""
            // Analyzer corpus: driver {{d}} (iommufd kAPI user).{{seeded}}
            using System;
            using System.Collections.Generic;
            using System.Linq;
            using IommuContracts;
            using IommuContracts.Contracts;
            using IommuContracts.Engine.Iommu;
            using IommuContracts.Engine.Kapi;

            namespace Contoso.Drivers.{{d}};

            /// <summary>One device of {{d}} bound to iommufd, as a disposable: Dispose detaches it if attached and unbinds it.</summary>
            [DriverManagedDma]
            public sealed class {{d}}Binding : IDisposable
            {
                private IommufdDevice? _idev;

                public DeviceId Id { get; private set; }

                public HwptId Hwpt { get; private set; }

                public bool IsBound => _idev is not null;

                public Errno Bind(IommufdCtx ctx, PciDevice device)
                {
                    if (_idev is not null)
                    {
                        return Errno.EBUSY;
                    }

                    var rc = Iommufd.DeviceBind(ctx, device, out var idev, out var id);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }

                    _idev = idev;
                    Id = id;
                    return Errno.None;
                }

                /// <summary>Attaches the device, or moves it with replace when it is attached already.</summary>
                public Errno AttachTo(PageTableId ptId)
                {
                    if (_idev is not { } idev)
                    {
                        return Errno.ENODEV;
                    }

                    if (idev.IsAttached)
                    {
                        var replaced = Iommufd.DeviceReplace(idev, ptId, out var moved);
                        if (replaced == Errno.None)
                        {
                            Hwpt = moved;
                        }

                        return replaced;
                    }

                    var rc = Iommufd.DeviceAttach(idev, ptId, out var hwpt);
                    if (rc.IsSuccess())
                    {
                        Hwpt = hwpt;
                    }

                    return rc;
                }

                public void Detach()
                {
                    if (_idev is { } idev && idev.IsAttached)
                    {
                        Iommufd.DeviceDetach(idev);
                        Hwpt = HwptId.None;
                    }
                }

                public void Dispose()
                {
                    if (_idev is not { } idev)
                    {
                        return;
                    }

                    if (idev.IsAttached)
                    {
                        Iommufd.DeviceDetach(idev);
                    }

                    Iommufd.DeviceUnbind(idev);
                    _idev = null;
                    Hwpt = HwptId.None;
                }
            }

            /// <summary>
            /// The {{d}} driver: a primary device kept in a field, more devices as bindings or raw handles, and an
            /// emulated-DMA access that pins guest pages (and unpins them when iommufd unmaps).
            /// </summary>
            [DriverManagedDma]
            public sealed class {{d}}Driver : IIommufdAccessOps, IDisposable
            {
                private const ulong PageSize = 0x1000;

                private readonly IommufdCtx _ctx;
                private readonly List<{{d}}Binding> _bindings = new();
                private readonly Dictionary<PciAddress, IommufdDevice> _extra = new();
                private readonly List<(ulong Iova, ulong Length)> _pinned = new();
                private readonly object _gate = new();
                private IommufdDevice? _primary;
                private IommufdAccess? _access;
                private ulong _pagesSeen;

                public {{d}}Driver(IommufdCtx ctx) => _ctx = ctx;

                public bool NeedsPinPages => true;

                public int Devices => _bindings.Count + _extra.Count + (_primary is null ? 0 : 1);

                public ulong PagesSeen => _pagesSeen;

                /// <summary>Binds and attaches the primary device; unbinds it again if the attach fails.</summary>
                public Errno Probe(PciDevice device, IoasId ioas)
                {
                    var rc = Iommufd.DeviceBind(_ctx, device, out var idev, out var id);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }

                    rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    if (rc != Errno.None)
                    {
                        Iommufd.DeviceUnbind(idev!);
                        return rc;
                    }

                    Trace($"{id} attached to {hwpt}");
                    _primary = idev;
                    return Errno.None;
                }

                /// <summary>Moves the attached primary device to another IOAS or HWPT.</summary>
                public Errno Move(PageTableId target)
                {
                    if (_primary is not { } idev || !idev.IsAttached)
                    {
                        return Errno.EINVAL;
                    }

                    var rc = Iommufd.DeviceReplace(idev, target, out var hwpt);
                    Trace(rc == Errno.None ? $"moved to {hwpt}" : $"move failed: {rc}");
                    return rc;
                }

                /// <summary>Detaches the primary device if it is attached, and unbinds it.</summary>
                public void Remove()
                {
                    lock (_gate)
                    {
                        if (_primary is not { } idev)
                        {
                            return;
                        }

                        if (idev.IsAttached)
                        {
                            Iommufd.DeviceDetach(idev);
                        }

                        Iommufd.DeviceUnbind(idev);
                        _primary = null;
                    }
                }

                /// <summary>Binds and attaches every device as a binding; the one that fails is disposed at once.</summary>
                public Errno ProbeAll(IReadOnlyList<PciDevice> devices, IoasId ioas)
                {
                    ArgumentNullException.ThrowIfNull(devices);
                    foreach (var device in devices)
                    {
                        var binding = new {{d}}Binding();
                        var rc = binding.Bind(_ctx, device);
                        if (rc == Errno.None)
                        {
                            rc = binding.AttachTo(ioas);
                        }

                        if (rc != Errno.None)
                        {
                            binding.Dispose();
                            return rc;
                        }

                        _bindings.Add(binding);
                    }

                    return Errno.None;
                }

                /// <summary>Checks that one device can be bound and attached, then lets it go.</summary>
                public Errno ProbeOne(PciDevice device, IoasId ioas)
                {
                    var binding = new {{d}}Binding();
                    var rc = binding.Bind(_ctx, device);
                    if (rc == Errno.None)
                    {
                        rc = binding.AttachTo(ioas);
                    }

                    {{disposeProbed}}
                    return rc;
                }

                /// <summary>Binds more devices as raw handles kept in a dictionary.</summary>
                public Errno BindExtra(IEnumerable<PciDevice> devices)
                {
                    ArgumentNullException.ThrowIfNull(devices);
                    foreach (var device in devices)
                    {
                        var rc = Iommufd.DeviceBind(_ctx, device, out var idev, out _);
                        if (rc != Errno.None)
                        {
                            return rc;
                        }

                        _extra[device.Address] = idev!;
                    }

                    return Errno.None;
                }

                public void UnbindExtra()
                {
                    foreach (var idev in _extra.Values)
                    {
                        Iommufd.DeviceUnbind(idev);
                    }

                    _extra.Clear();
                }

                /// <summary>A self test of one device: whatever happens, finally blocks detach and unbind it.</summary>
                public Errno SelfTest(PciDevice device, IoasId first, IoasId second)
                {
                    var rc = Iommufd.DeviceBind(_ctx, device, out var idev, out _);
                    if (rc.IsError())
                    {
                        return rc;
                    }

                    try
                    {
                        rc = Iommufd.DeviceAttach(idev!, first, out var hwpt);
                        if (rc != Errno.None)
                        {
                            return rc;
                        }

                        try
                        {
                            Trace($"self test on {hwpt}");
                            rc = Iommufd.DeviceReplace(idev!, second, out var next);
                            if (rc == Errno.None)
                            {
                                Trace($"replaced by {next}");
                            }

                            return rc;
                        }
                        finally
                        {
                            Iommufd.DeviceDetach(idev!);
                        }
                    }
                    finally
                    {
                        Iommufd.DeviceUnbind(idev!);
                    }
                }

                /// <summary>Resets a device: binds it, attaches it once to flush its IOTLB, and gives it back.</summary>
                public Errno Reset(PciDevice device, IoasId ioas)
                {
                    var rc = Iommufd.DeviceBind(_ctx, device, out var idev, out _);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }

                    rc = Iommufd.DeviceAttach(idev!, ioas, out var hwpt);
                    if (rc != Errno.None)
                    {
                        Iommufd.DeviceUnbind(idev!);
                        return rc;
                    }

                    Trace($"flushed through {hwpt}");
                    {{detachBeforeUnbind}}
                    Iommufd.DeviceUnbind(idev!);
                    return Errno.None;
                }

                /// <summary>Reads a device's ID by binding it for a moment.</summary>
                public Errno Identify(PciDevice device, out DeviceId id)
                {
                    var rc = Iommufd.DeviceBind(_ctx, device, out var idev, out id);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }

                    Trace($"identified {Iommufd.DeviceToId(idev!)}");
                    {{unbindAfterIdentify}}
                    return Errno.None;
                }

                /// <summary>Creates the driver's access and attaches it; destroys it again if the attach fails.</summary>
                public Errno OpenAccess(IoasId ioas)
                {
                    if (_access is not null)
                    {
                        return Errno.EBUSY;
                    }

                    var rc = Iommufd.AccessCreate(_ctx, this, out var access, out var id);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }

                    rc = Iommufd.AccessAttach(access!, ioas);
                    if (rc is not Errno.None)
                    {
                        Iommufd.AccessDestroy(access!);
                        return rc;
                    }

                    Trace($"access {id} attached");
                    _access = access;
                    return Errno.None;
                }

                /// <summary>Copies guest pages through the access, pinning one page at a time.</summary>
                public Errno Copy(ulong iova, int pages, byte[] destination)
                {
                    ArgumentNullException.ThrowIfNull(destination);
                    if (_access is not { } access || !access.IsAttached)
                    {
                        return Errno.ENOENT;
                    }

                    var rc = Errno.None;
                    for (var i = 0; i < pages && rc == Errno.None; i++)
                    {
                        var at = iova + ((ulong)i * PageSize);
                        rc = Iommufd.AccessPinPages(access, at, PageSize, false, out var pinned);
                        if (rc != Errno.None)
                        {
                            break;
                        }

                        lock (_pinned)
                        {
                            _pinned.Add((at, PageSize));
                        }

                        _pagesSeen += (ulong)pinned.Length;
                        rc = Iommufd.AccessRw(access, at, destination.AsSpan(0, Math.Min(destination.Length, (int)PageSize)), AccessRwFlags.Read);
                        Unpin(access, at, PageSize);
                    }

                    return rc;
                }

                /// <summary>Reads a header from each IOVA through the access (one lambda call per IOVA).</summary>
                public int ReadHeaders(IReadOnlyList<ulong> iovas)
                {
                    ArgumentNullException.ThrowIfNull(iovas);
                    if (_access is not { } access || !access.IsAttached)
                    {
                        return 0;
                    }

                    var failures = 0;
                    var header = new byte[64];
                    iovas.ToList().ForEach(iova =>
                    {
                        if (Iommufd.AccessRw(access, iova, header, AccessRwFlags.Read) != Errno.None)
                        {
                            failures++;
                        }
                    });
                    return iovas.Count - failures;
                }

                /// <summary>A one-shot access for a single read: created, attached, used and destroyed here.</summary>
                public Errno ReadOnce(IoasId ioas, ulong iova, byte[] buffer)
                {
                    var rc = Iommufd.AccessCreate(_ctx, this, out var access, out _);
                    if (rc != Errno.None)
                    {
                        return rc;
                    }

                    try
                    {
                        rc = Iommufd.AccessAttach(access!, ioas);
                        if (rc != Errno.None)
                        {
                            return rc;
                        }

                        rc = Iommufd.AccessRw(access!, iova, buffer, AccessRwFlags.Read);
                        Iommufd.AccessDetach(access!);
                        return rc;
                    }
                    finally
                    {
                        Iommufd.AccessDestroy(access!);
                    }
                }

                /// <summary>iommufd is unmapping [iova, iova + length): unpin every page pinned there.</summary>
                public void Unmap(ulong iova, ulong length)
                {
                    if (_access is not { } access)
                    {
                        return;
                    }

                    List<(ulong Iova, ulong Length)> inside;
                    lock (_pinned)
                    {
                        inside = _pinned.Where(p => p.Iova >= iova && p.Iova + p.Length <= iova + length).ToList();
                    }

                    foreach (var (at, size) in inside)
                    {
                        Unpin(access, at, size);
                    }
                }

                public void CloseAccess()
                {
                    if (_access is not { } access)
                    {
                        return;
                    }

                    if (access.IsAttached)
                    {
                        Iommufd.AccessDetach(access);
                    }

                    Iommufd.AccessDestroy(access);
                    _access = null;
                }

                public void Dispose()
                {
                    foreach (var binding in _bindings)
                    {
                        binding.Dispose();
                    }

                    _bindings.Clear();
                    UnbindExtra();
                    Remove();
                    CloseAccess();
                }

                private void Unpin(IommufdAccess access, ulong iova, ulong length)
                {
                    lock (_pinned)
                    {
                        if (!_pinned.Remove((iova, length)))
                        {
                            return;
                        }
                    }

                    Iommufd.AccessUnpinPages(access, iova, length);
                }

                private static void Trace(string message) => System.Diagnostics.Debug.WriteLine(message);
            }
            """;
    }

    private static string Ordinary(int ordinal)
    {
        var n = ordinal.ToString("D4", CultureInfo.InvariantCulture);
        var area = Areas[ordinal % Areas.Length];
        var item = $"{area}Item{n}";
        var kind = $"{area}Kind{n}";
        var drainWithTimeout = LeaksTokenSource(ordinal)
            ? """
              var timeout = new CancellationTokenSource(limit);
                      return await DrainAsync(drain, timeout.Token).ConfigureAwait(false);
              """
            : """
              using var timeout = new CancellationTokenSource(limit);
                      return await DrainAsync(drain, timeout.Token).ConfigureAwait(false);
              """;
        var seeded = LeaksTokenSource(ordinal) ? " Seeded: a dispose leak in DrainWithTimeoutAsync." : string.Empty;
        return $$"""
            // Analyzer corpus: ordinary VMM code, no kAPI.{{seeded}}
            using System;
            using System.Collections.Generic;
            using System.Globalization;
            using System.IO;
            using System.Linq;
            using System.Text;
            using System.Threading;
            using System.Threading.Tasks;

            namespace Contoso.Vmm.{{area}}.Part{{n}};

            public enum {{kind}}
            {
                Idle,
                Active,
                Draining,
                Failed,
            }

            public sealed record {{item}}(int Id, string Name, ulong Address, ulong Length, {{kind}} Kind)
            {
                public ulong End => Address + Length;
            }

            public interface I{{area}}Source{{n}}
            {
                IEnumerable<{{item}}> Items();
            }

            public sealed class Fixed{{area}}Source{{n}} : I{{area}}Source{{n}}
            {
                private readonly int _count;

                public Fixed{{area}}Source{{n}}(int count) => _count = count;

                public IEnumerable<{{item}}> Items()
                {
                    for (var i = 0; i < _count; i++)
                    {
                        yield return new {{item}}(i, $"item{i}", (ulong)i * 0x1000, 0x1000, ({{kind}})(i % 4));
                    }
                }
            }

            public sealed class {{area}}Service{{n}}
            {
                private readonly List<{{item}}> _items = new();
                private readonly Dictionary<int, {{item}}> _byId = new();
                private readonly Dictionary<string, int> _cache = new(StringComparer.Ordinal);

                public int Count => _items.Count;

                public bool Add({{item}} item)
                {
                    ArgumentNullException.ThrowIfNull(item);
                    if (_byId.ContainsKey(item.Id))
                    {
                        return false;
                    }

                    _items.Add(item);
                    _byId[item.Id] = item;
                    return true;
                }

                public int Load(I{{area}}Source{{n}} source)
                {
                    ArgumentNullException.ThrowIfNull(source);
                    var added = 0;
                    foreach (var item in source.Items())
                    {
                        if (Add(item))
                        {
                            added++;
                        }
                    }

                    return added;
                }

                public ulong Checksum()
                {
                    ulong total = 17;
                    for (var i = 0; i < _items.Count; i++)
                    {
                        var item = _items[i];
                        total = unchecked((total * 31) + (item.Address * 3) + item.Length + (ulong)item.Id);
                    }

                    return total;
                }

                public IReadOnlyDictionary<{{kind}}, ulong> BytesByKind()
                    => _items.GroupBy(i => i.Kind).ToDictionary(g => g.Key, g => g.Aggregate(0UL, (sum, i) => sum + i.Length));

                public IEnumerable<string> Describe(IEnumerable<KeyValuePair<int, string>> owners)
                    => from item in _items
                       join owner in owners on item.Id equals owner.Key
                       where item.Kind != {{kind}}.Failed
                       orderby item.Address
                       select $"{owner.Value}:{item.Name}@0x{item.Address:X}";

                public int CountOverlaps()
                {
                    var ordered = _items.OrderBy(i => i.Address).ToArray();
                    var overlaps = 0;
                    for (var a = 0; a < ordered.Length; a++)
                    {
                        for (var b = a + 1; b < ordered.Length && ordered[b].Address < ordered[a].End; b++)
                        {
                            overlaps++;
                        }
                    }

                    return overlaps;
                }

                public string Render()
                {
                    var builder = new StringBuilder();
                    foreach (var item in _items)
                    {
                        var state = item.Kind switch
                        {
                            {{kind}}.Idle => "idle",
                            {{kind}}.Active => "active",
                            {{kind}}.Draining => "draining",
                            _ => "failed",
                        };
                        builder.Append(item.Name).Append(' ').Append(state)
                            .Append(" [0x").Append(item.Address.ToString("X", CultureInfo.InvariantCulture)).AppendLine("]");
                    }

                    return builder.ToString();
                }

                /// <summary>Writes the items as text lines into a stream (both writers are disposed, the stream is left open).</summary>
                public void Export(Stream destination)
                {
                    ArgumentNullException.ThrowIfNull(destination);
                    using var buffer = new MemoryStream();
                    using (var writer = new StreamWriter(buffer, Encoding.UTF8, 4096, leaveOpen: true))
                    {
                        foreach (var item in _items)
                        {
                            writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{item.Id},{item.Name},{item.Address},{item.Length},{item.Kind}"));
                        }
                    }

                    buffer.Position = 0;
                    buffer.CopyTo(destination);
                }

                public int Import(TextReader reader)
                {
                    ArgumentNullException.ThrowIfNull(reader);
                    var added = 0;
                    for (var line = reader.ReadLine(); line is not null; line = reader.ReadLine())
                    {
                        var parts = line.Split(',');
                        if (parts.Length == 5 && int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out var id)
                            && ulong.TryParse(parts[2], NumberStyles.Integer, CultureInfo.InvariantCulture, out var address)
                            && ulong.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var length)
                            && Enum.TryParse<{{kind}}>(parts[4], out var kind)
                            && Add(new {{item}}(id, parts[1], address, length, kind)))
                        {
                            added++;
                        }
                    }

                    return added;
                }

                public int IndexOf(string name)
                {
                    if (_cache.TryGetValue(name, out var cached))
                    {
                        return cached;
                    }

                    var index = _items.FindIndex(i => string.Equals(i.Name, name, StringComparison.Ordinal));
                    if (index >= 0)
                    {
                        _cache[name] = index;
                    }

                    return index;
                }

                public {{item}}? FindContaining(ulong address)
                {
                    var ordered = _items.OrderBy(i => i.Address).ToList();
                    int lo = 0, hi = ordered.Count - 1;
                    while (lo <= hi)
                    {
                        var mid = lo + ((hi - lo) / 2);
                        var item = ordered[mid];
                        if (address < item.Address)
                        {
                            hi = mid - 1;
                        }
                        else if (address >= item.End)
                        {
                            lo = mid + 1;
                        }
                        else
                        {
                            return item;
                        }
                    }

                    return null;
                }

                public async Task<int> DrainAsync(Func<{{item}}, Task<bool>> drain, CancellationToken cancellationToken)
                {
                    ArgumentNullException.ThrowIfNull(drain);
                    var drained = 0;
                    foreach (var item in _items.Where(i => i.Kind == {{kind}}.Draining).ToList())
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        if (await drain(item).ConfigureAwait(false))
                        {
                            _byId[item.Id] = item with { Kind = {{kind}}.Idle };
                            drained++;
                        }
                    }

                    return drained;
                }

                /// <summary>Drains with a time limit.</summary>
                public async Task<int> DrainWithTimeoutAsync(Func<{{item}}, Task<bool>> drain, TimeSpan limit)
                {
                    {{drainWithTimeout}}
                }

                public TResult Fold<TResult>(TResult seed, Func<TResult, {{item}}, TResult> step)
                {
                    ArgumentNullException.ThrowIfNull(step);
                    var acc = seed;
                    foreach (var item in _items)
                    {
                        acc = step(acc, item);
                    }

                    return acc;
                }

                public (double Mean, double StdDev) LengthStatistics()
                {
                    if (_items.Count == 0)
                    {
                        return (0, 0);
                    }

                    var mean = _items.Average(i => (double)i.Length);
                    var variance = _items.Sum(i => Math.Pow(i.Length - mean, 2)) / _items.Count;
                    return (mean, Math.Sqrt(variance));
                }

                public IEnumerable<int[]> IdBatches(int size)
                {
                    var batch = new List<int>(size);
                    foreach (var item in _items)
                    {
                        batch.Add(item.Id);
                        if (batch.Count == size)
                        {
                            yield return batch.ToArray();
                            batch.Clear();
                        }
                    }

                    if (batch.Count > 0)
                    {
                        yield return batch.ToArray();
                    }
                }
            }
            """;
    }
}
