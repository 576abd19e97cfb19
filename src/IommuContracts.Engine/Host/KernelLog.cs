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

    public IReadOnlyCollection<string> Warnings => _warnings;

    public IReadOnlyCollection<string> Messages => _messages;

    internal void Warn(string message) => _warnings.Enqueue(message);

    internal void Info(string message) => _messages.Enqueue(message);
}
