namespace IommuContracts.Generators.Tests.Snapshots;

/// <summary>Representative declarations whose generated code is pinned by snapshots.</summary>
public static class SnapshotInputs
{
    public static readonly IReadOnlyDictionary<string, string> All = new Dictionary<string, string>
    {
        ["IommufdStruct"] = """
            using IommuContracts;
            using IommuContracts.Contracts;

            namespace Demo;

            /// <summary>An iommufd command with reserved, checked flags, in/out and output fields.</summary>
            [IoctlCommand(0x3B, 0x85, Name = "DEMO_MAP", StubName = "DemoMap")]
            public partial struct DemoMap
            {
                [SizeField] public uint Size;
                [CheckedFlags] public DemoFlags Flags;
                public IoasId IoasId;
                [Reserved] public uint Reserved;
                public ulong UserVa;
                [Output] public uint OutCookie;
                [InOut, LastMandatory] public ulong Iova;
                public ulong Extension;
            }

            [System.Flags]
            public enum DemoFlags : uint
            {
                None = 0,
                A = 1,
                B = 4,
            }
            """,

        ["VfioStruct"] = """
            using IommuContracts;
            using IommuContracts.Contracts;

            namespace Demo;

            /// <summary>A VFIO command with a flag-gated tail and an output-fields response.</summary>
            [IoctlCommand(0x3B, 119, Name = "DEMO_ATTACH", StubName = "DemoAttach", Convention = IoctlConvention.Vfio)]
            internal partial struct DemoAttach
            {
                [SizeField] public uint ArgSz;
                [CheckedFlags] public DemoAttachFlags Flags;
                [InOut, LastMandatory] public ObjectId PtId;
                [RequiredWithFlag(1)] public uint Pasid;
            }

            [System.Flags]
            internal enum DemoAttachFlags : uint
            {
                None = 0,
                Pasid = 1,
            }

            /// <summary>A command whose argument is an integer.</summary>
            [IoctlCommand(0x3B, 101, Name = "DEMO_CHECK", StubName = "DemoCheck", Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
            internal readonly partial struct DemoCheck;
            """,

        ["StubContracts"] = """
            using IommuContracts;
            using IommuContracts.Contracts;

            namespace Demo;

            /// <summary>Stubs that carry the contracts the analyzers read: a state a file must be in, a transition, a stale-ranges effect and an output that must be read.</summary>
            [IoctlCommand(0x3B, 118, Name = "DEMO_BIND", StubName = "DemoBind", Convention = IoctlConvention.Vfio, StubTransitionsTo = "Bound")]
            public partial struct DemoBind
            {
                [SizeField] public uint ArgSz;
                [CheckedFlags] public DemoBindFlags Flags;
                [LastMandatory] public int IommuFd;
                [Output] public uint OutDevId;
            }

            [System.Flags]
            public enum DemoBindFlags : uint
            {
                None = 0,
            }

            [IoctlCommand(0x3B, 0x86, Name = "DEMO_UNMAP", StubName = "DemoUnmap", StubRequiresState = "Bound", StubStateRule = "IOMMU0101", IovaRanges = IovaRangesEffect.Requires)]
            public partial struct DemoUnmap
            {
                [SizeField] public uint Size;
                [Reserved] public uint Flags;
                public IoasId IoasId;
                [Reserved] public uint Reserved;
                public ulong Iova;
                [InOut, LastMandatory, OutputMustBeUsed("IOMMU0015")] public ulong Length;
            }
            """,

        ["ReportedOnError"] = """
            using IommuContracts;
            using IommuContracts.Contracts;

            namespace Demo;

            /// <summary>Copies back only its marked fields, and reports progress on error.</summary>
            [IoctlCommand(0x3B, 0x8D, Name = "DEMO_INVALIDATE", StubName = "DemoInvalidate", Response = IoctlResponse.OutputFields)]
            public partial struct DemoInvalidate
            {
                [SizeField] public uint Size;
                public HwptId HwptId;
                public ulong DataUptr;
                [InOut, ReportedOnError] public uint EntryNum;
                [Reserved, LastMandatory] public uint Reserved;
            }
            """,

        ["Dispatcher"] = """
            using IommuContracts;
            using IommuContracts.Contracts;
            using IommuContracts.Ioctl;

            namespace Demo;

            [IoctlCommand(0x3B, 0x80, StubName = "DemoDestroy")]
            public partial struct DemoDestroy
            {
                [SizeField] public uint Size;
                [LastMandatory] public ObjectId Id;
            }

            [IoctlCommand(0x3B, 0x83, StubName = "DemoQuery")]
            public partial struct DemoQuery
            {
                [SizeField] public uint Size;
                [Output, LastMandatory] public uint Count;
            }

            [IoctlCommand(0x3B, 0x72, StubName = "DemoUnmap", Convention = IoctlConvention.Vfio)]
            public partial struct DemoUnmap
            {
                [SizeField] public uint ArgSz;
                [InOut, LastMandatory] public ulong Size;
            }

            [IoctlCommand(0x3B, 0x64, StubName = "DemoVersion", Convention = IoctlConvention.Vfio, Argument = IoctlArgumentKind.Value)]
            public readonly partial struct DemoVersion;

            /// <summary>A table of two iommufd commands, a VFIO command, a value command and a gate.</summary>
            [IoctlDispatcher]
            public sealed partial class DemoFile
            {
                [IoctlGate]
                private Errno Gate(uint command) => Errno.None;

                [IoctlHandler(typeof(DemoDestroy))]
                private Errno Destroy(ref DemoDestroy destroy) => Errno.ENOENT;

                [IoctlHandler(typeof(DemoQuery))]
                private Errno Query(ref DemoQuery query, ref IoctlCall call) => Errno.None;

                [IoctlHandler(typeof(DemoUnmap))]
                private static Errno Unmap(ref DemoUnmap unmap) => Errno.None;

                [IoctlHandler(typeof(DemoVersion))]
                private int Version(ulong value) => 0;
            }
            """,

        ["PageTableStub"] = """
            using IommuContracts;
            using IommuContracts.Contracts;

            namespace Demo;

            /// <summary>An ID of two kinds: converts from either, and from nothing else.</summary>
            [TypedObjectId(typeof(IoasId), typeof(HwptId))]
            public readonly partial struct DemoTargetId;

            /// <summary>An in/out field that goes in as either kind and comes back as the HWPT, an output that must be read.</summary>
            [IoctlCommand(0x3B, 120, Name = "DEMO_JOIN", StubName = "DemoJoin", Convention = IoctlConvention.Vfio)]
            public partial struct DemoJoin
            {
                [SizeField] public uint ArgSz;
                [CheckedFlags] public DemoJoinFlags Flags;
                [InOut(OutputType = typeof(HwptId)), LastMandatory, OutputMustBeUsed("IOMMU0015")] public DemoTargetId PtId;
                [RequiredWithFlag(1)] public uint Pasid;
            }

            [System.Flags]
            public enum DemoJoinFlags : uint
            {
                None = 0,
                Pasid = 1,
            }
            """,

        ["TypedId"] = """
            using IommuContracts.Contracts;

            namespace Demo;

            [TypedObjectId]
            public readonly partial struct WidgetId;
            """,

        ["ObjectTable"] = """
            using IommuContracts;
            using IommuContracts.Contracts;

            namespace Demo;

            [IommufdObjectBase]
            public abstract partial class DemoObject
            {
            }

            [IommufdObject(typeof(IoasId), Kind = 4)]
            public sealed partial class DemoIoas : DemoObject
            {
                public void Destroy() { }
            }

            [IommufdObject(typeof(DeviceId), Kind = 1)]
            public sealed partial class DemoDevice : DemoObject
            {
                public void Destroy() { }

                public void Abort() { }
            }

            [IommufdObjectTable(typeof(DemoObject))]
            public sealed partial class DemoTable
            {
                private partial Errno LookupCore<TObject>(uint id, ObjectKind kind, out TObject? value)
                    where TObject : DemoObject
                {
                    value = null;
                    return Errno.ENOENT;
                }
            }
            """,
    };
}
