using System.Buffers.Binary;
using System.Text;
using IommuContracts.Engine.Core;
using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Fuzz;

/// <summary>
/// Seeded ioctl fuzzing of one /dev/iommu fd: command numbers mostly in and around 0x3B64–0x3BA0, argument
/// pointers into mapped, read-only, guard-page-straddling, unmapped and NULL memory, sizes around each
/// struct's size, and bodies that are random or lightly mutated valid requests. After every call: nothing
/// threw, the result is 0/1 or a negative errno the spec allows, object counts moved only where an object
/// was created or destroyed, no ID is left reserved, every object holds only the table's references, every
/// io_pagetable's invariants hold and no WARN was logged. Closing the fd must leave no object, no pin and
/// no WARN. Every call stays within <see cref="CallCost"/>'s bounds: bytes allocated against the pages it
/// actually touched (<see cref="SimulatedKernel.PagesTouched"/>), and wall time.
/// </summary>
public class IoctlFuzzTests
{
    private const int Calls = 20_000;
    private const ulong Page = SimulatedProcess.PageSize;

    /// <summary>Every errno an iommufd / VFIO-container ioctl of this engine may answer for user input (spec §2–§3).</summary>
    private static readonly HashSet<Errno> AllowedErrnos = new()
    {
        Errno.EPERM, Errno.ENOENT, Errno.EIO, Errno.E2BIG, Errno.EFAULT, Errno.EBUSY, Errno.EEXIST, Errno.ENODEV,
        Errno.EINVAL, Errno.ENOTTY, Errno.ENOSPC, Errno.EOVERFLOW, Errno.EMSGSIZE, Errno.EOPNOTSUPP, Errno.EADDRINUSE,

        // IOMMU_TEST_CMD's access ops on an fd that is not an access fd (spec §5.2).
        Errno.EBADFD,

        // Pinning past RLIMIT_MEMLOCK (the mock domain and access ops pin through the same accounting as MAP).
        Errno.ENOMEM,
    };

    /// <summary>The iommufd commands this engine serves, with their struct sizes.</summary>
    private static readonly (uint Command, int Size)[] Structs =
    {
        (IommuDestroy.Command, IommuDestroy.NativeSize),
        (IommuIoasAlloc.Command, IommuIoasAlloc.NativeSize),
        (IommuIoasAllowIovas.Command, IommuIoasAllowIovas.NativeSize),
        (IommuIoasCopy.Command, IommuIoasCopy.NativeSize),
        (IommuIoasIovaRanges.Command, IommuIoasIovaRanges.NativeSize),
        (IommuIoasMap.Command, IommuIoasMap.NativeSize),
        (IommuIoasUnmap.Command, IommuIoasUnmap.NativeSize),
        (IommuOption.Command, IommuOption.NativeSize),
        (IommuVfioIoas.Command, IommuVfioIoas.NativeSize),
        (IommuTestCmd.Command, IommuTestCmd.NativeSize),
        (IommuHwptAlloc.Command, IommuHwptAlloc.NativeSize),
        (IommuIoasMapFile.Command, IommuIoasMapFile.NativeSize),
        (VfioIommuType1Info.Command, VfioIommuType1Info.NativeSize),
        (VfioIommuType1DmaMap.Command, VfioIommuType1DmaMap.NativeSize),
        (VfioIommuType1DmaUnmap.Command, VfioIommuType1DmaUnmap.NativeSize),
    };

    private static readonly uint[] ValueCommands = { VfioGetApiVersion.Command, VfioCheckExtension.Command, VfioSetIommu.Command };

    [Fact]
    public void Random_ioctls_never_throw_and_leave_the_context_consistent()
    {
        var fuzz = new Fuzzer(seed: 20_240_611);
        fuzz.Run(Calls);
    }

    [Fact]
    public void Mutated_valid_requests_never_throw_and_leave_the_context_consistent()
    {
        var fuzz = new Fuzzer(seed: 7, templateShare: 0.85);
        fuzz.Run(Calls);
    }

    private sealed class Fuzzer
    {
        private readonly Random _random;
        private readonly double _templateShare;
        private readonly SimulatedProcess _process;
        private readonly int _fd;
        private readonly IommufdContext _context;
        private readonly ulong _args;
        private readonly ulong _readOnly;
        private readonly ulong _data;
        private readonly ulong _dataLength = 64 * Page;
        private readonly List<string> _recent = new();

        public Fuzzer(int seed, double templateShare = 0.25)
        {
            _random = new Random(seed);
            _templateShare = templateShare;
            _process = new SimulatedProcess { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
            _fd = _process.OpenIommufd();
            _context = EngineProbe.Context(_process, _fd)!;

            // Two argument pages followed by the mapping's guard page; a read-only page; a 64-page data buffer.
            _args = _process.Mmap(2 * Page);
            _readOnly = _process.Mmap(Page);
            _data = _process.Mmap(_dataLength, MemoryProtection.ReadWrite, MmapFlags.None, 2UL << 20);
            var noise = new byte[_dataLength];
            _random.NextBytes(noise);
            Assert.Equal(Errno.None, _process.Write(_data, noise));
            Assert.Equal(Errno.None, _process.Mprotect(_readOnly, Page, MemoryProtection.Read));
        }

        public void Run(int calls)
        {
            for (var i = 0; i < calls; i++)
            {
                OneCall(i);
            }

            // Close: every object goes, nothing stays pinned, nothing WARNs. Access fds that CREATE_ACCESS
            // opened hold the context, so they close first.
            foreach (var other in _process.OpenFds.Where(f => f != _fd).ToList())
            {
                Assert.Equal(Errno.None, _process.Close(other));
            }

            Assert.Equal(Errno.None, _process.Close(_fd));
            Assert.Empty(_process.Kernel.Log.Warnings);
            Assert.True(_context.Objects.Count == 0, $"left after close: {string.Join(", ", _context.Objects.Snapshot())}; warnings: {string.Join(" | ", _process.Kernel.Log.Warnings)}");
            for (var address = _data; address < _data + _dataLength; address += Page)
            {
                Assert.Equal(0, _process.PinCount(address));
            }

            for (var address = _args; address < _args + (2 * Page); address += Page)
            {
                Assert.Equal(0, _process.PinCount(address));
            }

            // teardown_iommufd: a fresh fd sees every page of the buffer unpinned.
            var fd = _process.OpenIommufd();
            var payload = new IommuTestPayload { CheckRefs = new TestCheckRefs { Uptr = _data, Length = _dataLength, Refs = 0 } };
            Assert.Equal(Errno.None, _process.File(fd).TestCmd(IommuTestOp.MdCheckRefs, ObjectId.None, ref payload));
            Assert.Equal(Errno.None, _process.Close(fd));
            Assert.Empty(_process.Kernel.Log.Warnings);
        }

        private void OneCall(int index)
        {
            var useTemplate = _random.NextDouble() < _templateShare;
            var command = useTemplate ? TemplateCommand() : RandomCommand();
            var nr = command & 0xFF;
            var badFd = _random.Next(200) == 0;
            var fd = badFd ? ClosedFd() : _fd;

            ulong argument;
            byte[] bytes;
            if (Array.IndexOf(ValueCommands, command) >= 0 && _random.Next(4) != 0)
            {
                // The container's value ioctls take an integer, not a pointer.
                argument = (ulong)_random.Next(-1, 12);
                bytes = Array.Empty<byte>();
            }
            else
            {
                bytes = useTemplate ? Template(command) : RandomBody(command);
                argument = PlaceArgument(bytes);
            }

            var before = _context.Objects.Count;
            var result = 0;
            var touchedBefore = _process.Kernel.PagesTouched;
            CallCost cost;
            try
            {
                cost = CallCost.Of(() => result = _process.Ioctl(fd, command, argument));
            }
            catch (Exception e)
            {
                Assert.Fail($"call {index}: ioctl(0x{command:X}, 0x{argument:X}) threw {e}\n{Describe(bytes)}\n{Recent()}");
                return;
            }

            Remember($"#{index} ioctl(fd {fd}, 0x{command:X}, 0x{argument:X}) = {Format(result)} ({cost}) {Describe(bytes)}");

            // Resource bounds: a call pays for the pages it reached (copied, pinned, mapped), never for a length
            // it was only told, and returns in bounded time.
            var touched = _process.Kernel.PagesTouched - touchedBefore;
            if (cost.AllocatedBytes > CallCost.BoundFor(touched) || cost.Elapsed > CallCost.MaxElapsed)
            {
                Assert.Fail($"call {index}: {cost} for {touched} pages touched (bound {CallCost.BoundFor(touched):N0} bytes, {CallCost.MaxElapsed.TotalSeconds} s)\n{Recent()}");
            }
            CheckResult(index, command, fd, result);

            var after = _context.Objects.Count;
            var expectedDelta = result == 0 && !badFd && command == IommuIoasAlloc.Command ? 1
                : result == 0 && !badFd && command == IommuDestroy.Command ? -1
                : 0;

            // A successful TEST_CMD may create objects (MOCK_DOMAIN: device, HWPT) or drop them (access
            // pages); leaks of those are caught when the fd closes. A failed one must leave the table alone.
            // DESTROY of a mock device's selftest object also unbinds its device and frees its automatic HWPT.
            var testCmdSucceeded = result == 0 && !badFd && command == IommuTestCmd.Command;
            var destroyed = expectedDelta == -1 && after < before;
            if (!testCmdSucceeded && !destroyed && after - before != expectedDelta)
            {
                Assert.Fail($"call {index}: object count went {before} -> {after} after 0x{command:X} returned {Format(result)}\n{Recent()}");
            }

            var problems = EngineProbe.QuiescentProblems(_context);
            if (problems.Count != 0 || _process.Kernel.Log.Warnings.Count != 0)
            {
                Assert.Fail($"call {index} (nr 0x{nr:X}): {string.Join(" | ", problems.Concat(_process.Kernel.Log.Warnings))}\n{Recent()}");
            }
        }

        // A descriptor number that is not open: CREATE_ACCESS opens access fds next to the iommufd.
        private int ClosedFd()
        {
            var fd = _fd + 1 + _random.Next(3);
            var open = _process.OpenFds;
            while (open.Contains(fd))
            {
                fd++;
            }

            return fd;
        }

        private void CheckResult(int index, uint command, int fd, int result)
        {
            if (fd != _fd)
            {
                if (result != Errno.EBADF.ToSyscallResult())
                {
                    Assert.Fail($"call {index}: ioctl on a closed fd returned {Format(result)}, expected -EBADF\n{Recent()}");
                }

                return;
            }

            if (result >= 0)
            {
                // Only VFIO_CHECK_EXTENSION answers with a positive value (1 = supported).
                if (result > 1 || (result == 1 && command != VfioCheckExtension.Command))
                {
                    Assert.Fail($"call {index}: 0x{command:X} returned {result}\n{Recent()}");
                }

                return;
            }

            if (!AllowedErrnos.Contains((Errno)(-result)))
            {
                Assert.Fail($"call {index}: 0x{command:X} returned {Format(result)}, not an errno this ioctl may return\n{Recent()}");
            }
        }

        // ---------------------------------------------------------------- commands

        private uint RandomCommand()
        {
            var roll = _random.Next(100);
            if (roll < 60)
            {
                return 0x3B00u | (uint)_random.Next(0x64, 0xA1);
            }

            if (roll < 75)
            {
                return Structs[_random.Next(Structs.Length)].Command;
            }

            if (roll < 80)
            {
                return ValueCommands[_random.Next(ValueCommands.Length)];
            }

            if (roll < 88)
            {
                // The same numbers with direction / size bits, or the powerpc-style _IO encoding.
                var nr = (uint)_random.Next(0x64, 0xA1);
                return _random.Next(2) == 0 ? 0x2000_3B00u | nr : ((uint)_random.Next(1, 4) << 30) | ((uint)_random.Next(1, 80) << 16) | 0x3B00u | nr;
            }

            if (roll < 94)
            {
                return 0x3B00u | (uint)_random.Next(256);
            }

            return (uint)_random.NextInt64(0, 1L << 32);
        }

        private uint TemplateCommand()
        {
            // Keep the table small (IOAS_ALLOC succeeds often): past a few dozen objects, destroy more.
            if (_context.Objects.Count > 24 && _random.Next(2) == 0)
            {
                return IommuDestroy.Command;
            }

            return _random.Next(20) < 3 ? ValueCommands[_random.Next(ValueCommands.Length)] : Structs[_random.Next(Structs.Length)].Command;
        }

        private static int SizeOf(uint command) => Structs.FirstOrDefault(s => s.Command == command).Size;

        // ---------------------------------------------------------------- bodies

        private byte[] RandomBody(uint command)
        {
            var native = SizeOf(command);
            var length = native > 0 && _random.Next(3) != 0 ? native + (_random.Next(4) == 0 ? _random.Next(1, 24) : 0) : _random.Next(0, 96);
            var bytes = new byte[length];
            for (var offset = 0; offset + 8 <= length; offset += 8)
            {
                WriteU64(bytes, offset, InterestingU64());
            }

            if (length % 8 != 0)
            {
                _random.NextBytes(bytes.AsSpan(length - (length % 8)));
            }

            if (length >= 4)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes, SizeField(native, length));
            }

            return bytes;
        }

        private uint SizeField(int native, int length)
        {
            return _random.Next(10) switch
            {
                < 5 when native > 0 => (uint)native,
                < 7 => (uint)length,
                7 => (uint)_random.Next(0, Math.Max(1, native)),
                8 => (uint)_random.Next(native, native + 64),
                _ => (uint)_random.NextInt64(0, 1L << 32),
            };
        }

        private ulong InterestingU64()
        {
            return _random.Next(12) switch
            {
                0 => 0,
                1 => (uint)_random.Next(0, 6) | ((ulong)(uint)_random.Next(0, 8) << 32),
                2 => (uint)_random.Next(0, 8) | ((ulong)(uint)_random.Next(0, 6) << 32),
                3 => _data + (ulong)_random.Next(0, (int)_dataLength),
                4 => (ulong)_random.Next(1, 17) * Page,
                5 => (ulong)_random.Next(0, 64) * Page,
                6 => ulong.MaxValue - (ulong)_random.Next(0, 3),
                7 => (ulong)_random.Next(0, 4096),
                8 => _readOnly + (ulong)_random.Next(0, (int)Page),
                _ => (ulong)_random.NextInt64() ^ ((ulong)(uint)_random.Next() << 33),
            };
        }

        /// <summary>A well-formed request for the command, then a few random byte mutations.</summary>
        private byte[] Template(uint command)
        {
            var size = SizeOf(command);
            var bytes = new byte[Math.Max(size, 8)];
            BinaryPrimitives.WriteUInt32LittleEndian(bytes, (uint)size);
            var ioas = (uint)_random.Next(0, 6);
            var flags = (uint)_random.Next(0, 8);
            switch (command)
            {
                case IommuDestroy.Command:
                    var live = _context.Objects.Snapshot();
                    WriteU32(bytes, 4, live.Count > 0 && _random.Next(4) != 0 ? live[_random.Next(live.Count)].RawId : ioas);
                    break;
                case IommuIoasAlloc.Command:
                    WriteU32(bytes, 4, _random.Next(8) == 0 ? 1u : 0u);
                    break;
                case IommuIoasAllowIovas.Command:
                    WriteU32(bytes, 4, ioas);
                    WriteU32(bytes, 8, (uint)_random.Next(0, 4));
                    WriteU64(bytes, 16, RangeArray());
                    break;
                case IommuIoasCopy.Command:
                    WriteU32(bytes, 4, flags);
                    WriteU32(bytes, 8, ioas);
                    WriteU32(bytes, 12, (uint)_random.Next(0, 6));
                    WriteU64(bytes, 16, _random.Next(2) == 0 ? (ulong)_random.Next(1, 3) * Page : Length());
                    WriteU64(bytes, 24, Iova());
                    WriteU64(bytes, 32, Iova());
                    if (_random.Next(2) == 0 && ExistingArea() is { } source)
                    {
                        // Grey-box: copy from (inside) an area that exists.
                        WriteU32(bytes, 12, source.Ioas);
                        WriteU64(bytes, 16, _random.Next(2) == 0 ? source.Length : (ulong)_random.Next(1, (int)Math.Min(source.Length, 3 * Page) + 1));
                        WriteU64(bytes, 32, source.Iova + (_random.Next(3) == 0 ? (ulong)_random.Next(0, 64) : 0));
                    }

                    break;
                case IommuIoasIovaRanges.Command:
                    WriteU32(bytes, 4, ioas);
                    WriteU32(bytes, 8, (uint)_random.Next(0, 5));
                    WriteU64(bytes, 16, _random.Next(4) == 0 ? _readOnly : _data + ((ulong)_random.Next(0, 64) * 16));
                    break;
                case IommuIoasMap.Command:
                    WriteU32(bytes, 4, flags);
                    WriteU32(bytes, 8, ioas);
                    WriteU64(bytes, 16, _data + ((ulong)_random.Next(0, 32) * (_random.Next(2) == 0 ? Page : 0x104)));
                    WriteU64(bytes, 24, Length());
                    WriteU64(bytes, 32, Iova());
                    break;
                case IommuIoasUnmap.Command:
                    WriteU32(bytes, 4, ioas);
                    var all = _random.Next(6) == 0;
                    WriteU64(bytes, 8, all ? 0 : Iova());
                    WriteU64(bytes, 16, all ? ulong.MaxValue : Length());
                    break;
                case IommuOption.Command:
                    WriteU32(bytes, 4, (uint)_random.Next(0, 3));
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)_random.Next(0, 3));
                    WriteU32(bytes, 12, _random.Next(3) == 0 ? 0 : ioas);
                    WriteU64(bytes, 16, (ulong)_random.Next(0, 3));
                    break;
                case IommuVfioIoas.Command:
                    WriteU32(bytes, 4, ioas);
                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)_random.Next(0, 4));
                    break;
                case IommuTestCmd.Command:
                    var op = _random.Next(5) switch { 0 => IommuTestOp.MdCheckRefs, 1 => IommuTestOp.SetTempMemoryLimit, 2 => (IommuTestOp)_random.Next(0, 26), _ => IommuTestOp.AddReserved };
                    WriteU32(bytes, 4, (uint)op);
                    WriteU32(bytes, 8, ioas);
                    if (op == IommuTestOp.MdCheckRefs)
                    {
                        WriteU64(bytes, 16, (ulong)_random.Next(0, 8) * Page);
                        WriteU64(bytes, 24, _data + ((ulong)_random.Next(0, 56) * Page));
                        WriteU32(bytes, 32, (uint)_random.Next(0, 2));
                    }
                    else
                    {
                        WriteU64(bytes, 16, op == IommuTestOp.SetTempMemoryLimit ? (ulong)_random.Next(0, 64) : Iova());
                        WriteU64(bytes, 24, Length());
                    }

                    break;
                case VfioIommuType1DmaMap.Command:
                    WriteU32(bytes, 4, (uint)_random.Next(0, 4) | (_random.Next(8) == 0 ? 4u : 0u));
                    WriteU64(bytes, 8, _data + ((ulong)_random.Next(0, 32) * Page));
                    WriteU64(bytes, 16, Iova());
                    WriteU64(bytes, 24, Length());
                    break;
                case VfioIommuType1DmaUnmap.Command:
                    WriteU32(bytes, 4, _random.Next(6) == 0 ? 2u : 0u);
                    WriteU64(bytes, 8, Iova());
                    WriteU64(bytes, 16, Length());
                    break;
                case VfioIommuType1Info.Command:
                    WriteU32(bytes, 0, (uint)_random.Next(0, 128));
                    break;
            }

            var mutations = _random.Next(4) == 0 ? _random.Next(1, 3) : 0;
            for (var m = 0; m < mutations && bytes.Length > 0; m++)
            {
                bytes[_random.Next(bytes.Length)] = (byte)_random.Next(256);
            }

            return bytes;
        }

        /// <summary>A random area of a random IOAS of the context, or null when there is none.</summary>
        private (uint Ioas, ulong Iova, ulong Length)? ExistingArea()
        {
            var areas = EngineProbe.IoasObjects(_context).SelectMany(i => i.Iopt.Areas().Select(a => (i.Id.Value, a.Iova, a.Length))).ToList();
            return areas.Count == 0 ? null : areas[_random.Next(areas.Count)];
        }

        private ulong Iova() => _random.Next(8) switch
        {
            0 => 0,
            1 => (ulong)_random.NextInt64(),
            2 => (ulong)_random.Next(0, 64) * Page + (ulong)_random.Next(0, 3),
            _ => (ulong)_random.Next(0, 64) * Page,
        };

        private ulong Length() => _random.Next(8) switch
        {
            0 => 0,
            1 => ulong.MaxValue - (ulong)_random.Next(0, 2),
            2 => (ulong)_random.Next(1, 5000),
            _ => (ulong)_random.Next(1, 17) * Page,
        };

        /// <summary>An iommu_iova_range array in the data buffer (sometimes NULL or read-only).</summary>
        private ulong RangeArray()
        {
            if (_random.Next(6) == 0)
            {
                return _random.Next(2) == 0 ? 0 : _readOnly;
            }

            var address = _data + (ulong)_random.Next(0, 1000) * 32;
            var bytes = new byte[64];
            var start = (ulong)_random.Next(0, 64) * Page;
            for (var i = 0; i < 4; i++)
            {
                var last = start + ((ulong)_random.Next(0, 32) * Page) - (ulong)_random.Next(0, 2);
                WriteU64(bytes, i * 16, start);
                WriteU64(bytes, (i * 16) + 8, last);
                start = last + 1 + ((ulong)_random.Next(0, 3) * Page);
            }

            Assert.Equal(Errno.None, _process.Write(address, bytes));
            return address;
        }

        // ---------------------------------------------------------------- argument placement

        /// <summary>Writes the body somewhere and returns the argument pointer (possibly NULL, unmapped or read-only).</summary>
        private ulong PlaceArgument(byte[] bytes)
        {
            var roll = _random.Next(100);
            if (roll < 4)
            {
                return 0;
            }

            if (roll < 7)
            {
                return _args + (2 * Page) + (ulong)_random.Next(0, (int)Page);
            }

            if (roll < 9)
            {
                return (ulong)_random.NextInt64();
            }

            if (roll < 13)
            {
                // The read-only page can be read but not written back.
                var bytesRo = bytes.AsSpan(0, Math.Min(bytes.Length, (int)Page));
                Assert.Equal(Errno.None, _process.Mprotect(_readOnly, Page, MemoryProtection.ReadWrite));
                Assert.Equal(Errno.None, _process.Write(_readOnly, bytesRo));
                Assert.Equal(Errno.None, _process.Mprotect(_readOnly, Page, MemoryProtection.Read));
                return _readOnly;
            }

            ulong address;
            if (roll < 20 && bytes.Length > 1)
            {
                // Straddle the guard page: the struct's tail is unmapped.
                address = _args + (2 * Page) - (ulong)_random.Next(1, bytes.Length);
            }
            else
            {
                address = _args + (ulong)_random.Next(0, (int)Page);
            }

            var room = (int)(_args + (2 * Page) - address);
            Assert.Equal(Errno.None, _process.Write(address, bytes.AsSpan(0, Math.Min(room, bytes.Length))));
            return address;
        }

        // ---------------------------------------------------------------- helpers

        private static void WriteU32(byte[] bytes, int offset, uint value)
        {
            if (offset + 4 <= bytes.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(offset), value);
            }
        }

        private static void WriteU64(byte[] bytes, int offset, ulong value)
        {
            if (offset + 8 <= bytes.Length)
            {
                BinaryPrimitives.WriteUInt64LittleEndian(bytes.AsSpan(offset), value);
            }
        }

        private static string Format(int result) => result < 0 ? $"-{(Errno)(-result)}" : result.ToString();

        private static string Describe(byte[] bytes) => bytes.Length == 0 ? "(value)" : Convert.ToHexString(bytes);

        private void Remember(string line)
        {
            _recent.Add(line);
            if (_recent.Count > 12)
            {
                _recent.RemoveAt(0);
            }
        }

        private string Recent()
        {
            var text = new StringBuilder("Last calls:\n");
            foreach (var line in _recent)
            {
                text.Append("  ").Append(line).Append('\n');
            }

            return text.ToString();
        }
    }
}
