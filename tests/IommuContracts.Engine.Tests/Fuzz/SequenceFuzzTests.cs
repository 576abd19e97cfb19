using IommuContracts.Engine.Host;
using IommuContracts.Engine.Profiles;
using IommuContracts.Engine.Tests.Fuzz.Sequences;
using IommuContracts.Engine.Tests.Support.Hosts;

namespace IommuContracts.Engine.Tests.Fuzz;

/// <summary>
/// The random sequences the differential replay runs against the real kernel, run here on the engine alone with
/// what only the simulation can check: nothing throws, nothing WARNs, and after the teardown no fd is open and no
/// page of the process is pinned. On both profiles.
/// </summary>
public class SequenceFuzzTests
{
    [Theory]
    [InlineData("newest", 1)]
    [InlineData("linux-6.12", 100_001)]
    public void Random_sequences_leave_no_warning_no_fd_and_no_pin(string profile, int firstSeed)
    {
        for (var seed = firstSeed; seed < firstSeed + 100; seed++)
        {
            var sequence = SequenceGenerator.Generate(seed);
            var host = SimulatedProcessHost.Root(KernelProfile.Find(profile));
            var tracking = new MappingTracker(host);

            new SequenceRun(tracking).Execute(sequence);

            var process = host.Process;
            Assert.True(process.Kernel.Log.Warnings.Count == 0, $"seed {seed}: {string.Join(" | ", process.Kernel.Log.Warnings)}\n{sequence.Describe()}");
            Assert.True(process.OpenFds.Count == 0, $"seed {seed}: fds {string.Join(", ", process.OpenFds)} left open\n{sequence.Describe()}");
            foreach (var page in tracking.Pages())
            {
                Assert.True(process.PinCount(page) == 0, $"seed {seed}: page 0x{page:X} still pinned {process.PinCount(page)} times\n{sequence.Describe()}");
            }
        }
    }

    /// <summary>Passes everything through and remembers the pages of every mapping made.</summary>
    private sealed class MappingTracker(SimulatedProcessHost inner) : IProcessHost
    {
        private readonly List<(ulong Address, ulong Length)> _mappings = new();

        public string Name => inner.Name;

        public SimulatedProcess? Simulated => inner.Simulated;

        public IReadOnlyCollection<string>? KernelWarnings => inner.KernelWarnings;

        public IEnumerable<ulong> Pages()
            => _mappings.SelectMany(m => Enumerable.Range(0, (int)(m.Length / SimulatedProcess.PageSize)).Select(i => m.Address + ((ulong)i * SimulatedProcess.PageSize)));

        public ulong Mmap(ulong length, MemoryProtection protection = MemoryProtection.ReadWrite, MmapFlags flags = MmapFlags.None, ulong alignment = SimulatedProcess.PageSize)
        {
            var address = inner.Mmap(length, protection, flags, alignment);
            _mappings.Add((address, (length + SimulatedProcess.PageSize - 1) / SimulatedProcess.PageSize * SimulatedProcess.PageSize));
            return address;
        }

        public Errno Munmap(ulong address, ulong length) => inner.Munmap(address, length);

        public Errno Read(ulong address, Span<byte> destination) => inner.Read(address, destination);

        public Errno Write(ulong address, ReadOnlySpan<byte> source) => inner.Write(address, source);

        public int OpenIommufd() => inner.OpenIommufd();

        public int OpenVfioDevice(int index) => inner.OpenVfioDevice(index);

        public Errno Close(int fd) => inner.Close(fd);

        public int Ioctl(int fd, uint command, ulong argument) => inner.Ioctl(fd, command, argument);

        public int Ioctl(int fd, uint command, Span<byte> argument) => inner.Ioctl(fd, command, argument);

        public IIoctlFile File(int fd) => new HostIoctlFile(this, fd);

        public void Adopt(int fd) => inner.Adopt(fd);

        public SimulatedProcess RequireSimulated(string facility) => inner.RequireSimulated(facility);

        public void Dispose() => inner.Dispose();
    }
}
