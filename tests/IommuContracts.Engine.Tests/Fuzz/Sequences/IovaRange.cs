namespace IommuContracts.Engine.Tests.Fuzz.Sequences;

/// <summary>An IOVA range a map or copy returned, with the slot and offset its memory came from (slot −1: unknown).</summary>
public readonly record struct IovaRange(ulong Iova, ulong Length, int Slot, ulong SlotOffset);
