namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// EXPECT_ERRNO for raw ioctl results: the simulated syscall returns <c>-errno</c> where the C harness
/// sees -1 and reads errno.
/// </summary>
public static class SyscallAssert
{
    public static void Fails(Errno expected, int result)
    {
        Assert.True(result < 0, $"expected -{expected} but the ioctl returned {result}");
        Assert.Equal(expected, (Errno)(-result));
    }

    public static void Succeeds(int result) => Assert.Equal(0, result);
}
