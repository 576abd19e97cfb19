namespace IommuContracts.Engine.Tests.Support;

/// <summary>
/// A call running on its own thread while the test thread is held inside the engine (by a user fault or an
/// interleaving point), to play a race in a fixed order.
/// </summary>
internal sealed class BackgroundCall
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly Thread _thread;
    private Errno _result;
    private Exception? _exception;
    private volatile bool _finished;

    public BackgroundCall(Func<Errno> call)
    {
        _thread = new Thread(() =>
        {
            try
            {
                _result = call();
            }
            catch (Exception e)
            {
                _exception = e;
            }

            _finished = true;
        }) { IsBackground = true };
        _thread.Start();
    }

    public bool IsFinished => _finished;

    /// <summary>The thread is blocked (on a lock, a wait or a sleep), not running.</summary>
    public bool IsBlocked => (_thread.ThreadState & ThreadState.WaitSleepJoin) != 0;

    /// <summary>Starts <paramref name="call"/> and returns once it finished or blocked.</summary>
    public static BackgroundCall StartAndAwaitFinishedOrBlocked(Func<Errno> call)
    {
        var background = new BackgroundCall(call);
        Assert.True(SpinWait.SpinUntil(() => background.IsFinished || background.IsBlocked, Patience), "the racing call neither finished nor blocked");
        return background;
    }

    /// <summary>Waits for the call and returns its result; an exception it threw fails the test.</summary>
    public Errno Join(string what)
    {
        Assert.True(_thread.Join(Patience), $"{what} never finished");
        Assert.True(_exception is null, $"{what} threw: {_exception}");
        return _result;
    }
}
