using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>
/// A code fix that repairs one diagnostic site at a time. The single fix and Fix All run the same
/// <see cref="PlanAsync"/>; Fix All (<see cref="SequentialFixAllProvider"/>) applies the sites one after another,
/// each on the code the previous ones left, so fixes that add names or statements never collide, and it needs no
/// equivalence key, so any mix of IDs (as <c>dotnet format analyzers</c> sends them) is fixed.
/// </summary>
public abstract class SiteCodeFix : CodeFixProvider
{
    /// <summary>The equivalence key of every action of this provider.</summary>
    protected string EquivalenceKey => GetType().Name;

    /// <inheritdoc/>
    public sealed override FixAllProvider GetFixAllProvider() => SequentialFixAllProvider.Instance;

    /// <inheritdoc/>
    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Location.IsInSource
                || await PlanAsync(context.Document, FixSite.Of(diagnostic), context.CancellationToken).ConfigureAwait(false) is not { } fix)
            {
                continue;
            }

            context.RegisterCodeFix(CodeAction.Create(fix.Title, fix.Apply, EquivalenceKey), diagnostic);
        }
    }

    /// <summary>The fix for <paramref name="site"/> in <paramref name="document"/> as it is now; null when there is none.</summary>
    internal abstract Task<SiteFix?> PlanAsync(Document document, FixSite site, CancellationToken token);
}
