using IommuContracts.Engine.Host;
using IommuContracts.Engine.Tests.Support;
using IommuContracts.Uapi;

namespace IommuContracts.Engine.Tests.Selftests;

/// <summary>
/// Port of the newest kernel selftests' <c>change_process</c> fixture (variants account_none, account_user,
/// account_mm): CAP_IPC_LOCK dropped, the RLIMIT mode set unless account_none, an IOAS with a mock domain.
/// The kernel forks a child that inherits the fd; here the child is a second process of the same user on the
/// same kernel that receives the fd (as a forked child holds it), and /proc's VmPin / VmLck are the
/// processes' pinned and locked page counts.
/// </summary>
public abstract class ChangeProcessTestsBase : IommufdFixture
{
    private readonly Accounting _accounting;

    protected ChangeProcessTestsBase(Accounting accounting)
    {
        _accounting = accounting;
        Process.Capabilities &= ~Capabilities.IpcLock;
        if (accounting != Accounting.None)
        {
            ulong mode = accounting == Accounting.Mm ? 1UL : 0UL;
            Assert.Equal(Errno.None, File.Option(IommuOptionId.RlimitMode, IommuOptionOp.Set, ObjectId.None, ref mode));
        }

        Ioas = AllocIoas();
        Assert.Equal(Errno.None, MockDomain(Ioas, out _, out _, out _));
    }

    /// <summary>IOPT_PAGES_ACCOUNT_*: the variant's accounting.</summary>
    public enum Accounting
    {
        /// <summary>IOPT_PAGES_ACCOUNT_NONE: the RLIMIT mode is not set.</summary>
        None,

        /// <summary>IOPT_PAGES_ACCOUNT_USER.</summary>
        User,

        /// <summary>IOPT_PAGES_ACCOUNT_MM.</summary>
        Mm,
    }

    /// <summary>self->ioas_id.</summary>
    public IoasId Ioas { get; }

    // TEST_F(change_process, basic)
    [Fact]
    public void Basic()
    {
        // Refused while a mapping of memory (not of a file) exists.
        Assert.Equal(Errno.None, Map(Ioas, Buffer, PageSize, out var iova));
        Assert.Equal(Errno.EINVAL, File.IoasChangeProcess());
        Assert.Equal(Errno.None, Unmap(Ioas, iova, PageSize, out _));

        // Works in the current process.
        Assert.Equal(Errno.None, MapFile(Ioas, Mfd, 0, PageSize, out _));
        Assert.Equal(Errno.None, File.IoasChangeProcess());

        // Works in another process of the same user that holds the fd.
        var child = new SimulatedProcess(Process.Kernel, Process.User.Uid) { Capabilities = Process.Capabilities, MemlockLimit = Process.MemlockLimit };
        var childFd = Process.ShareFd(Fd, child);
        Assert.True(childFd >= 0);

        // The parent is charged before.
        Assert.Equal(1, Process.PinnedPages);
        Assert.Equal(_accounting == Accounting.Mm ? 1 : 0, Process.LockedPages);
        Assert.Equal(0, child.PinnedPages);
        Assert.Equal(0, child.LockedPages);

        Assert.Equal(Errno.None, child.File(childFd).IoasChangeProcess());

        // The child is charged after.
        Assert.Equal(0, Process.PinnedPages);
        Assert.Equal(0, Process.LockedPages);
        Assert.Equal(1, child.PinnedPages);
        Assert.Equal(_accounting == Accounting.Mm ? 1 : 0, child.LockedPages);

        // The child exits: its fd goes with it.
        Assert.Equal(Errno.None, child.Close(childFd));
    }
}

/// <summary>FIXTURE_VARIANT_ADD(change_process, account_none).</summary>
public sealed class ChangeProcessAccountNoneTests : ChangeProcessTestsBase
{
    public ChangeProcessAccountNoneTests()
        : base(Accounting.None)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(change_process, account_user).</summary>
public sealed class ChangeProcessAccountUserTests : ChangeProcessTestsBase
{
    public ChangeProcessAccountUserTests()
        : base(Accounting.User)
    {
    }
}

/// <summary>FIXTURE_VARIANT_ADD(change_process, account_mm).</summary>
public sealed class ChangeProcessAccountMmTests : ChangeProcessTestsBase
{
    public ChangeProcessAccountMmTests()
        : base(Accounting.Mm)
    {
    }
}
