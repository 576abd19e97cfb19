namespace IommuContracts.Benchmarks.Engine;

/// <summary>
/// The checks a GlobalSetup makes before anything is measured: a setup that silently got an errno, or built
/// something other than what the benchmark claims to measure, must stop the run instead of producing numbers.
/// </summary>
internal static class SetupCheck
{
    public static void Require(bool condition, string message)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Engine benchmark setup: " + message);
        }
    }

    public static void Ok(Errno result, string what) => Require(result == Errno.None, $"{what} returned {result}");
}
