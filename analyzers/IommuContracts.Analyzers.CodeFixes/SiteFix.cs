using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.CodeFixes;

/// <summary>The fix for one site: the title the IDE shows and the edit, which may touch other documents of the solution.</summary>
internal sealed record SiteFix(string Title, Func<CancellationToken, Task<Solution>> Apply);
