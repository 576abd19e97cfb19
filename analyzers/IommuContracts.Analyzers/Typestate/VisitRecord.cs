using System;
using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace IommuContracts.Analyzers.Typestate;

/// <summary>
/// What one visit of a block (in one finally context) would report and record for the body's summary, held until the
/// dataflow settles. Each revisit starts the block's record afresh, so when the solve ends every record comes from the
/// visit that saw the block's final input; replayed in block order they give exactly what a second walk over the
/// settled states would, without walking the body twice.
/// </summary>
internal sealed class VisitRecord
{
    private readonly List<HeldReport> _reports = new();
    private readonly List<(ISymbol Symbol, Kind Kind)> _records = new();

    public VisitRecord(bool keepsReports) => KeepsReports = keepsReports;

    /// <summary>False when the body's diagnostics go nowhere (a summary or a field pass): then nothing is rendered.</summary>
    public bool KeepsReports { get; }

    /// <summary>The exits this visit reached, in the order it reached them.</summary>
    public List<MethodExit> Exits { get; } = new();

    private enum Kind
    {
        HandedOn,
        FieldAcquired,
        FieldReleased,
        ReleasedSlot,

        // A released handle: the fields it was copied into anywhere in the body are released too (resolved at replay,
        // when every copy the body makes is known).
        ReleasedWithCopies,
    }

    private enum ReportKind
    {
        Diagnostic,
        Once,
        Violation,
        Clean,
    }

    /// <summary>Forgets what an earlier visit of the block recorded: its input has grown since.</summary>
    public void Clear()
    {
        _reports.Clear();
        _records.Clear();
        Exits.Clear();
    }

    public void Report(DiagnosticDescriptor descriptor, Location location, params object?[] arguments)
        => Report(descriptor, location, null, arguments);

    public void Report(DiagnosticDescriptor descriptor, Location location, IEnumerable<Location>? additionalLocations, params object?[] arguments)
        => _reports.Add(new HeldReport(ReportKind.Diagnostic, descriptor, location, additionalLocations, arguments));

    /// <summary>Reported only by the first visit (in block order) that asks for <paramref name="key"/>.</summary>
    public void ReportOnce(object key, DiagnosticDescriptor descriptor, Location location, params object?[] arguments)
        => _reports.Add(new HeldReport(ReportKind.Once, descriptor, location, null, arguments, key: key));

    public void Violation(string rule, bool definite, Location location, Func<bool, object[]> arguments)
        => _reports.Add(new HeldReport(ReportKind.Violation, null, location, null, null, rule, definite, arguments));

    public void Clean(string rule, Location location)
        => _reports.Add(new HeldReport(ReportKind.Clean, null, location, null, null, rule));

    public void HandedOn(ISymbol slot) => _records.Add((slot, Kind.HandedOn));

    public void FieldAcquired(ISymbol field) => _records.Add((field, Kind.FieldAcquired));

    public void FieldReleased(ISymbol field) => _records.Add((field, Kind.FieldReleased));

    public void ReleasedSlot(ISymbol slot) => _records.Add((slot, Kind.ReleasedSlot));

    public void ReleasedWithCopies(ISymbol canonical) => _records.Add((canonical, Kind.ReleasedWithCopies));

    /// <summary>Hands this visit's reports to <paramref name="sink"/>, its records to <paramref name="walker"/> and its exits to <paramref name="exits"/>.</summary>
    public void ReplayInto(DiagnosticSink sink, TypestateWalker walker, List<MethodExit> exits)
    {
        foreach (var report in _reports)
        {
            switch (report.Kind)
            {
                case ReportKind.Diagnostic:
                    sink.Report(report.Descriptor!, report.Location, report.AdditionalLocations, report.Arguments!);
                    break;
                case ReportKind.Once:
                    if (sink.First(report.Key!))
                    {
                        sink.Report(report.Descriptor!, report.Location, report.Arguments!);
                    }

                    break;
                case ReportKind.Violation:
                    sink.Violation(report.Rule!, report.Definite, report.Location, report.ViolationArguments!);
                    break;
                case ReportKind.Clean:
                    sink.Clean(report.Rule!, report.Location);
                    break;
            }
        }

        foreach (var (symbol, kind) in _records)
        {
            switch (kind)
            {
                case Kind.HandedOn:
                    walker.HandedOn.Add(symbol);
                    break;
                case Kind.FieldAcquired:
                    walker.FieldsAcquired.Add(symbol);
                    break;
                case Kind.FieldReleased:
                    walker.FieldsReleased.Add(symbol);
                    break;
                case Kind.ReleasedSlot:
                    walker.ReleasedSlots.Add(symbol);
                    break;
                case Kind.ReleasedWithCopies:
                    walker.ReleaseFieldCopies(symbol);
                    break;
            }
        }

        exits.AddRange(Exits);
    }

    private readonly struct HeldReport
    {
        public HeldReport(ReportKind kind, DiagnosticDescriptor? descriptor, Location location, IEnumerable<Location>? additionalLocations, object?[]? arguments,
            string? rule = null, bool definite = false, Func<bool, object[]>? violationArguments = null, object? key = null)
        {
            Kind = kind;
            Descriptor = descriptor;
            Location = location;
            AdditionalLocations = additionalLocations;
            Arguments = arguments;
            Rule = rule;
            Definite = definite;
            ViolationArguments = violationArguments;
            Key = key;
        }

        public ReportKind Kind { get; }

        public DiagnosticDescriptor? Descriptor { get; }

        public Location Location { get; }

        public IEnumerable<Location>? AdditionalLocations { get; }

        public object?[]? Arguments { get; }

        public string? Rule { get; }

        public bool Definite { get; }

        public Func<bool, object[]>? ViolationArguments { get; }

        public object? Key { get; }
    }
}
