using Verifier = IommuContracts.Analyzers.Tests.Support.ContractVerifier<IommuContracts.Analyzers.Rules.TypestateAnalyzer>;

namespace IommuContracts.Analyzers.Tests.Typestate;

/// <summary>
/// The analyzers know no kAPI names: an API that exists only in this test, annotated with the same attributes
/// (a RAII session whose Dispose releases it, a ring that must be started before it is used), gets the same checks.
/// </summary>
public class CustomApiTests
{
    private const string Api = """
        [Typestate("Open", "Running")]
        sealed class Session : IDisposable
        {
            [return: Acquires("Open")]
            public static Session Open() => new();

            [RequiresState("Open"), TransitionsTo("Running")]
            public Errno Start() => Errno.None;

            [RequiresState("Running")]
            public void Submit(int work) { }

            [StateQuery("Running")]
            public bool IsRunning => true;

            [Releases]
            public void Dispose() { }
        }

        """;

    [Fact]
    public async Task A_test_only_api_gets_state_use_after_release_and_leak_checks()
    {
        await Verifier.VerifyAsync(Api + """
            class User
            {
                void Good()
                {
                    using var session = Session.Open();
                    if (session.Start() != Errno.None) return;
                    session.Submit(1);
                }

                void SubmitBeforeStart()
                {
                    using var session = Session.Open();
                    {|IOMMU0002:session|}.Submit(1);
                }

                void UseAfterDispose()
                {
                    var session = Session.Open();
                    session.Dispose();
                    {|IOMMU0002:session|}.Submit(1);
                }

                void Leaks()
                {
                    var session = {|IOMMU0008:Session.Open()|};
                    if (session.Start() != Errno.None) return;
                    session.Submit(1);
                }

                void Guarded(Session session)
                {
                    if (session.IsRunning) session.Submit(1);
                }
            }
            """);
    }
}
