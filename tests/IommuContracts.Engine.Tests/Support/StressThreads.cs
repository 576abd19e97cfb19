namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// Runs the threads of a stress test side by side: all are started before any is waited for, so they contend,
/// and each must finish in time, since one still running means a deadlock or a livelock in the engine.
/// </summary>
public static class StressThreads
{
    /// <summary>
    /// Starts every thread as a background thread (a hung one must not keep the test host alive), then asserts
    /// each finishes within <paramref name="timeout"/>. <paramref name="context"/> is added to the failure
    /// message, for what a rerun needs (a seed).
    /// </summary>
    public static void RunToCompletion(IReadOnlyCollection<Thread> threads, TimeSpan timeout, string context = "")
    {
        foreach (var thread in threads)
        {
            thread.IsBackground = true;
            thread.Start();
        }

        foreach (var thread in threads)
        {
            Assert.True(thread.Join(timeout), $"{thread.Name ?? "a stress thread"} did not finish within {timeout.TotalSeconds} s (deadlock?){context}");
        }
    }
}
