using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using IommuContracts.Engine.Faults;
using IommuContracts.Engine.Kapi;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Stress;

/// <summary>
/// Issue 11, found by a 300 s fuzz/stress run once the other races were fixed: a lookup by ID (an ioctl naming the
/// device) against the driver's unbind of that device. The lookup checked that the object's counts were not zero
/// and only then raised them; in between the unbind dropped the table's short-term bias, saw no lookup in flight,
/// and then found a user it did not expect: a WARN "destroyed by its owner while still in use" and a device object
/// left in the table until close. In the kernel iommufd_lock_obj raises each count only if it is not zero
/// (refcount_inc_not_zero), so the unbind either waits for the lookup or the lookup fails.
/// </summary>
/// <remarks>
/// Played in a fixed order with two points: the unbind stops once it found the device in the table; the lookup
/// starts and stops inside the table lock after its first reference; the unbind goes on, drops the bias and waits
/// for the table lock; only then is the lookup let go.
/// </remarks>
public class LookupUnbindRaceTests
{
    [Fact]
    public void A_lookup_that_races_the_owner_s_unbind_fails_or_is_waited_for()
    {
        var host = new KapiHost();
        var idev = host.Bind(host.AddDevice());
        var deviceId = Iommufd.DeviceToId(idev);
        var command = host.Process.Mmap(KapiHost.PageSize);
        var info = new IommuHwInfo { Size = (uint)Unsafe.SizeOf<IommuHwInfo>(), DevId = deviceId };
        Assert.Equal(Errno.None, host.Process.Write(command, MemoryMarshal.AsBytes(new Span<IommuHwInfo>(ref info))));

        var owner = Thread.CurrentThread;
        using var letLookupGo = new ManualResetEventSlim();
        var ownerGoesOn = 0;
        BackgroundCall? lookup = null;
        host.Kernel.Interleavings.Arm(InterleavingPoint.LookupTookUser, () => letLookupGo.Wait(BackgroundCall.Patience));
        host.Kernel.Interleavings.Arm(InterleavingPoint.OwnerRemoveFound, () =>
        {
            lookup = BackgroundCall.StartAndAwaitFinishedOrBlocked(() => ErrnoExtensions.FromSyscallResult((int)host.Process.Ioctl(host.Fd, IommuHwInfo.Command, command)));
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                // Let the lookup go once the owner, past this handler, is waiting (for the table lock).
                SpinWait.SpinUntil(() => Volatile.Read(ref ownerGoesOn) == 1 && (owner.ThreadState & ThreadState.WaitSleepJoin) != 0, BackgroundCall.Patience);
                letLookupGo.Set();
            }, null);
            Volatile.Write(ref ownerGoesOn, 1);
        });

        Iommufd.DeviceUnbind(idev);

        Assert.NotNull(lookup);
        Assert.Equal(Errno.ENOENT, lookup!.Join("the GET_HW_INFO lookup"));
        host.AssertNoWarnings();
        Assert.DoesNotContain(host.Context.Objects.Snapshot(), o => o.RawId == deviceId.Value);
    }
}
