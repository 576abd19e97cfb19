using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Short-term references under contention: many threads look up and put the same objects at once
/// (iommufd_get_object / iommufd_put_object). Every reference taken must be dropped, so once the threads
/// stop the objects are destroyable again and closing the fd WARNs about nothing.
/// </summary>
public class ObjectReferenceStressTests
{
    [Fact]
    public void Concurrent_lookups_of_one_ioas_leave_it_destroyable()
    {
        var process = new SimulatedProcess { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        var fd = process.OpenIommufd();
        var file = process.File(fd);
        var context = EngineProbe.Context(process, fd)!;
        Assert.Equal(Errno.None, file.IoasAlloc(IommuIoasAllocFlags.None, out var first));
        Assert.Equal(Errno.None, file.IoasAlloc(IommuIoasAllocFlags.None, out var second));

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1.5);
        var threads = Enumerable.Range(0, 6).Select(t => new Thread(() =>
        {
            // IOMMU_IOAS_UNMAP of one byte of an empty IOAS: a lookup, ENOENT, a put; the struct stays in place.
            var argument = process.Mmap(SimulatedProcess.PageSize);
            var bytes = new byte[IommuIoasUnmap.NativeSize];
            BitConverter.TryWriteBytes(bytes.AsSpan(0), (uint)IommuIoasUnmap.NativeSize);
            BitConverter.TryWriteBytes(bytes.AsSpan(4), ((t & 1) == 0 ? first : second).Value);
            BitConverter.TryWriteBytes(bytes.AsSpan(8), 0x1000UL);
            BitConverter.TryWriteBytes(bytes.AsSpan(16), 1UL);
            process.Write(argument, bytes);
            while (DateTime.UtcNow < deadline)
            {
                for (var i = 0; i < 100; i++)
                {
                    var result = process.Ioctl(fd, IommuIoasUnmap.Command, argument);
                    if (result != Errno.ENOENT.ToSyscallResult())
                    {
                        failures.Enqueue($"thread {t}: IOAS_UNMAP returned {result}");
                        return;
                    }
                }
            }
        })).ToArray();
        StressThreads.RunToCompletion(threads, TimeSpan.FromSeconds(30));

        Assert.Empty(failures);

        // Nobody uses the IOASes any more: DESTROY must succeed (EBUSY means a reference leaked).
        var leaks = string.Join(" | ", EngineProbe.QuiescentProblems(context));
        Assert.True(file.Destroy(first) == Errno.None, $"DESTROY of idle IOAS {first.Value} failed; {leaks}");
        Assert.True(file.Destroy(second) == Errno.None, $"DESTROY of idle IOAS {second.Value} failed; {leaks}");
        Assert.Equal(Errno.None, process.Close(fd));
        Assert.Empty(process.Kernel.Log.Warnings);
    }

    /// <summary>
    /// The same contention without the ioctl overhead around it: threads take and drop short-term references
    /// on one IOAS through the object table as fast as they can (each pair is what every IOAS ioctl does).
    /// </summary>
    [Fact]
    public void Concurrent_get_and_put_on_the_object_table_balance()
    {
        var process = new SimulatedProcess { Capabilities = Capabilities.Root, MemlockLimit = ulong.MaxValue };
        var fd = process.OpenIommufd();
        var file = process.File(fd);
        var context = EngineProbe.Context(process, fd)!;
        Assert.Equal(Errno.None, file.IoasAlloc(IommuIoasAllocFlags.None, out var ioas));

        var failures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(1);
        var threads = Enumerable.Range(0, 4).Select(t => new Thread(() =>
        {
            while (DateTime.UtcNow < deadline)
            {
                for (var i = 0; i < 1000; i++)
                {
                    var found = context.Objects.Get(ioas, out var obj);
                    if (found != Errno.None)
                    {
                        failures.Enqueue($"thread {t}: lookup {found}");
                        return;
                    }

                    context.Objects.Put(obj!);
                }
            }
        })).ToArray();
        StressThreads.RunToCompletion(threads, TimeSpan.FromSeconds(30));

        Assert.Empty(failures);
        var leaks = string.Join(" | ", EngineProbe.QuiescentProblems(context));
        Assert.True(file.Destroy(ioas) == Errno.None, $"DESTROY of idle IOAS {ioas.Value} failed; {leaks}");
        Assert.Equal(Errno.None, process.Close(fd));
        Assert.Empty(process.Kernel.Log.Warnings);
    }
}
