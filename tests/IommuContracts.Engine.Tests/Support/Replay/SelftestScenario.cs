using System.Globalization;
using System.Reflection;
using IommuContracts.Engine.Tests.Support.Hosts;
using IommuContracts.Engine.Tests.Support.Recording;
using Xunit.Sdk;

namespace IommuContracts.Engine.Tests.Support.Replay;

/// <summary>
/// One xunit test of the kernel selftest ports (one theory row each), run outside xunit on any host: the test class
/// is constructed (its fixture setup), the test method runs, the fixture is disposed (its teardown), and every
/// process host the fixtures create records its steps.
/// </summary>
public sealed class SelftestScenario
{
    private const string SelftestNamespace = "IommuContracts.Engine.Tests.Selftests";

    private readonly Type _class;
    private readonly MethodInfo _method;
    private readonly object?[] _arguments;

    private SelftestScenario(Type testClass, MethodInfo method, object?[] arguments, string? xunitSkip)
    {
        _class = testClass;
        _method = method;
        _arguments = arguments;
        XunitSkip = xunitSkip;
        Id = arguments.Length == 0
            ? $"{testClass.Name}.{method.Name}"
            : $"{testClass.Name}.{method.Name}({string.Join(", ", arguments.Select(a => Convert.ToString(a, CultureInfo.InvariantCulture)))})";
    }

    /// <summary>Class.Method, with the theory row's arguments.</summary>
    public string Id { get; }

    /// <summary>The reason xunit skips it, if it does.</summary>
    public string? XunitSkip { get; }

    /// <summary>Every test of the selftest ports (the Selftests namespace), theories expanded, in a stable order.</summary>
    public static IReadOnlyList<SelftestScenario> All()
    {
        var scenarios = new List<SelftestScenario>();
        var classes = typeof(SelftestScenario).Assembly.GetTypes()
            .Where(t => t.Namespace == SelftestNamespace && t.IsClass && t.IsPublic && !t.IsAbstract)
            .OrderBy(t => t.Name, StringComparer.Ordinal);
        foreach (var testClass in classes)
        {
            var methods = testClass.GetMethods(BindingFlags.Public | BindingFlags.Instance)
                .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
                .OrderBy(m => m.Name, StringComparer.Ordinal);
            foreach (var method in methods)
            {
                var fact = method.GetCustomAttribute<FactAttribute>()!;
                if (fact is TheoryAttribute)
                {
                    foreach (var row in Rows(testClass, method))
                    {
                        scenarios.Add(new SelftestScenario(testClass, method, row, fact.Skip));
                    }
                }
                else
                {
                    scenarios.Add(new SelftestScenario(testClass, method, [], fact.Skip));
                }
            }
        }

        return scenarios;
    }

    /// <summary>
    /// Runs the test with every fixture's process coming from <paramref name="hostFactory"/>, recorded. Assertions
    /// that fail end the run as <see cref="RunOutcome.Failed"/>; a simulated-only facility or memory the host cannot
    /// provide ends it as <see cref="RunOutcome.Skipped"/>.
    /// </summary>
    public ScenarioRun Run(string hostName, Func<IProcessHost> hostFactory)
    {
        var recorders = new List<RecordingProcessHost>();
        if (XunitSkip is not null)
        {
            return new ScenarioRun(hostName, [], RunOutcome.Skipped, "xunit: " + XunitSkip);
        }

        var previous = ProcessHosts.Factory;
        ProcessHosts.Factory = () =>
        {
            var recorder = new RecordingProcessHost(hostFactory());
            recorders.Add(recorder);
            return recorder;
        };

        try
        {
            var (outcome, message) = Execute();
            var steps = recorders.Count == 1
                ? recorders[0].Steps.ToList()
                : recorders.SelectMany((r, i) => r.Steps.Select(s => $"[process {i + 1}] {s}")).ToList();
            return new ScenarioRun(hostName, steps, outcome, message);
        }
        finally
        {
            ProcessHosts.Factory = previous;
        }
    }

    /// <inheritdoc />
    public override string ToString() => Id;

    private (RunOutcome Outcome, string? Message) Execute()
    {
        object? instance = null;
        Exception? failure = null;
        try
        {
            instance = Activator.CreateInstance(_class);
            var returned = _method.Invoke(instance, _arguments);
            if (returned is Task task)
            {
                task.GetAwaiter().GetResult();
            }
        }
        catch (Exception e)
        {
            failure = Unwrap(e);
        }

        // The fixture's teardown runs even after a failure, as xunit runs it.
        try
        {
            (instance as IDisposable)?.Dispose();
        }
        catch (Exception e)
        {
            failure ??= Unwrap(e);
        }

        return failure switch
        {
            null => (RunOutcome.Completed, null),
            SimulatedOnlyException or HostUnsupportedException => (RunOutcome.Skipped, failure.Message),
            XunitException => (RunOutcome.Failed, "assertion: " + failure.Message),
            _ => (RunOutcome.Failed, $"{failure.GetType().Name}: {failure.Message}"),
        };
    }

    private static Exception Unwrap(Exception e)
    {
        while (e is TargetInvocationException { InnerException: { } inner })
        {
            e = inner;
        }

        // A skip raised inside the fixture's constructor reaches us wrapped too.
        return e.InnerException is SimulatedOnlyException or HostUnsupportedException ? e.InnerException : e;
    }

    private static IEnumerable<object?[]> Rows(Type testClass, MethodInfo method)
    {
        foreach (var data in method.GetCustomAttributes<InlineDataAttribute>())
        {
            foreach (var row in data.GetData(method))
            {
                yield return row;
            }
        }

        foreach (var member in method.GetCustomAttributes<MemberDataAttribute>())
        {
            var property = testClass.GetProperty(member.MemberName, BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.FlattenHierarchy);
            if (property?.GetValue(null) is IEnumerable<object?[]> rows)
            {
                foreach (var row in rows)
                {
                    yield return row;
                }
            }
        }
    }
}
