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

    [Fact]
    public async Task A_constructed_generic_handle_type_and_a_handle_nested_in_a_generic_type_get_the_checks_of_their_definitions()
    {
        // The typestate of a construction is read from its definition's declarations; a List of handles is no handle.
        await Verifier.VerifyAsync("""
            [Typestate("Open")]
            sealed class Pool<T> : IDisposable
            {
                [return: Acquires("Open")]
                public static Pool<T> Open() => new();

                [RequiresState("Open")]
                public T Take() => default!;

                [Releases]
                public void Dispose() { }
            }

            sealed class Outer<T>
            {
                [Typestate("Open")]
                public sealed class Lease : IDisposable
                {
                    [return: Acquires("Open")]
                    public static Lease Open() => new();

                    [RequiresState("Open")]
                    public void Renew() { }

                    [Releases]
                    public void Dispose() { }
                }
            }

            class User
            {
                void Good()
                {
                    using var pool = Pool<int>.Open();
                    pool.Take();
                    using var lease = Outer<string>.Lease.Open();
                    lease.Renew();
                }

                void UseAfterDispose()
                {
                    var pool = Pool<int>.Open();
                    pool.Dispose();
                    {|IOMMU0002:pool|}.Take();
                }

                void LeaseLeaks()
                {
                    var lease = {|IOMMU0008:Outer<string>.Lease.Open()|};
                    lease.Renew();
                }

                void ListsOfHandlesAreNotHandles()
                {
                    var pools = new System.Collections.Generic.List<Pool<int>>();
                    pools.Clear();
                }
            }
            """);
    }

    [Fact]
    public async Task A_test_only_api_with_keyed_sub_states_gets_the_same_per_key_checks()
    {
        await Verifier.VerifyAsync("""
            [Typestate("Idle", "Busy")]
            sealed class Engine : IDisposable
            {
                [return: Acquires("Idle")]
                public static Engine Open() => new();

                [RequiresState("Idle", Key = "slot", Rule = RuleIds.AttachWhileAttached), TransitionsTo("Busy", Key = "slot")]
                public Errno Claim([StateKey] int slot) => Errno.None;

                [RequiresState("Busy", Key = "slot", Rule = RuleIds.DetachWhenNotAttached), TransitionsTo("Idle", Key = "slot", Always = true)]
                public void Free([StateKey] int slot) { }

                [StateQuery("Busy", Key = "slot")]
                public bool IsClaimed([StateKey] int slot) => slot < 0;

                [Releases, RequiresState("Idle", Rule = RuleIds.UnbindWhileAttached, EveryKey = true)]
                public void Dispose() { }
            }

            class User
            {
                void Good()
                {
                    using var engine = Engine.Open();
                    if (engine.Claim(1) != Errno.None) return;
                    engine.Free(1);
                }

                void ClaimTwice()
                {
                    using var engine = Engine.Open();
                    if (engine.Claim(1) != Errno.None) return;
                    _ = engine.Claim({|IOMMU0005:1|});
                    engine.Free(1);
                }

                void FreeUnclaimed()
                {
                    using var engine = Engine.Open();
                    engine.Free({|IOMMU0007:2|});
                }

                void DisposeBusy()
                {
                    var engine = Engine.Open();
                    if (engine.Claim(3) != Errno.None)
                    {
                        engine.Dispose();
                        return;
                    }

                    {|IOMMU0004:engine.Dispose()|};
                }

                void Guarded(int slot)
                {
                    using var engine = Engine.Open();
                    if (engine.IsClaimed(slot)) engine.Free(slot);
                }
            }
            """);
    }
}
