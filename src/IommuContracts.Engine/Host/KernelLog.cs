using System.Collections.Concurrent;

namespace IommuContracts.Engine.Host;

/// <summary>
/// What the simulated kernel printed: WARN_ON splats (a selftest run with any of these failed) and
/// informational messages such as the unsafe-interrupts warning.
/// </summary>
public sealed class KernelLog
{
    private readonly ConcurrentQueue<string> _warnings = new();
    private readonly ConcurrentQueue<string> _messages = new();

    /// <summary>The WARN_ON splats printed so far, oldest first; a run that must pass expects none.</summary>
    public IReadOnlyCollection<string> Warnings => _warnings;

    /// <summary>The informational messages printed so far, oldest first.</summary>
    public IReadOnlyCollection<string> Messages => _messages;

    internal void Warn(string message) => _warnings.Enqueue(message);

    internal void Info(string message) => _messages.Enqueue(message);
}
