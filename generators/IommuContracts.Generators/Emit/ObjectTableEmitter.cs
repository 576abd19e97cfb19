using System.Collections.Generic;
using System.Linq;
using IommuContracts.Generators.Model;

namespace IommuContracts.Generators.Emit;

/// <summary>
/// Emits, per object base: the kind enum, each kind's <c>Kind</c> and typed <c>Id</c>, the per-kind
/// destroy / abort tables (the kernel's iommufd_object_ops), and typed lookups on the object tables.
/// </summary>
internal static class ObjectTableEmitter
{
    private const string Errno = "global::IommuContracts.Errno";

    public static string EmitBase(ObjectBaseModel objectBase, IReadOnlyList<ObjectKindModel> kinds)
    {
        var writer = GeneratedFile.Start(objectBase.Namespace);
        var maxKind = kinds.Count == 0 ? 0 : kinds.Max(k => k.Kind);
        writer.Line("/// <summary>The object kinds of " + objectBase.Name + " (iommufd's enum iommufd_object_type).</summary>");
        writer.Line(GeneratedFile.CodeAttribute);
        using (writer.Block((objectBase.IsPublic ? "public " : "internal ") + "enum ObjectKind"))
        {
            writer.Line("/// <summary>Any kind (lookups that accept every kind).</summary>");
            writer.Line("Any = 0,");
            foreach (var kind in kinds)
            {
                writer.Line(kind.Name + " = " + kind.Kind + ",");
            }
        }

        writer.Line();
        writer.Line(GeneratedFile.CodeAttribute);
        using (writer.Block("partial class " + objectBase.Name))
        {
            writer.Line("/// <summary>This object's kind.</summary>");
            writer.Line("public abstract ObjectKind Kind { get; }");
            writer.Line();
            writer.Line("/// <summary>The object's ID as a raw value; 0 until the table reserves one.</summary>");
            writer.Line("public uint RawId { get; internal set; }");
            writer.Line();
            writer.Line("/// <summary>Destroy operation per kind, indexed by <see cref=\"ObjectKind\"/>.</summary>");
            EmitOps(writer, objectBase, kinds, maxKind, "DestroyOps", _ => "Destroy");
            writer.Line();
            writer.Line("/// <summary>Abort operation per kind (for objects that never became visible); Destroy where a kind has no Abort.</summary>");
            EmitOps(writer, objectBase, kinds, maxKind, "AbortOps", k => k.HasAbort ? "Abort" : "Destroy");
        }

        return writer.ToString();
    }

    public static string EmitKind(ObjectKindModel kind)
    {
        var writer = GeneratedFile.Start(kind.Namespace);
        var enumName = kind.BaseFullName.Substring(0, kind.BaseFullName.LastIndexOf('.') + 1) + "ObjectKind";
        writer.Line(GeneratedFile.CodeAttribute);
        using (writer.Block("partial class " + kind.Name))
        {
            writer.Line("public override " + enumName + " Kind => " + enumName + "." + kind.Name + ";");
            writer.Line();
            writer.Line("/// <summary>This object's typed ID.</summary>");
            writer.Line("public " + kind.IdTypeName + " Id => new(RawId);");
        }

        return writer.ToString();
    }

    public static string EmitTable(ObjectTableModel table, IReadOnlyList<ObjectKindModel> kinds, string kindEnum)
    {
        var writer = GeneratedFile.Start(table.Namespace);
        writer.Line(GeneratedFile.CodeAttribute);
        using (writer.Block("partial class " + table.Name))
        {
            foreach (var kind in kinds)
            {
                writer.Line("/// <summary>Looks up a live " + kind.Name + " by its typed ID (ENOENT if absent or of another kind).</summary>");
                writer.Line("/// <param name=\"id\">The ID to look up.</param>");
                writer.Line("/// <param name=\"value\">The object when found; null otherwise.</param>");
                writer.Line("/// <returns><see cref=\"" + Errno + ".None\"/> when found, otherwise the lookup's errno.</returns>");
                writer.Line("public " + Errno + " Get(" + kind.IdTypeName + " id, out " + kind.FullName + "? value)");
                writer.Line("    => LookupCore(id.Value, " + kindEnum + "." + kind.Name + ", out value);");
                writer.Line();
            }

            writer.Line("/// <summary>The one lookup the typed ones forward to; implemented by this class.</summary>");
            writer.Line("private partial " + Errno + " LookupCore<TObject>(uint id, " + kindEnum + " kind, out TObject? value)");
            writer.Line("    where TObject : " + table.BaseFullName + ";");
        }

        return writer.ToString();
    }

    private static void EmitOps(IndentedWriter writer, ObjectBaseModel objectBase, IReadOnlyList<ObjectKindModel> kinds, int maxKind, string name, System.Func<ObjectKindModel, string> operation)
    {
        var delegateType = "global::System.Action<" + objectBase.FullName + ">";
        writer.Line("internal static readonly " + delegateType + "?[] " + name + " = new " + delegateType + "?[]");
        writer.Line("{");
        for (var index = 0; index <= maxKind; index++)
        {
            var kind = kinds.FirstOrDefault(k => k.Kind == index);
            writer.Line(kind is null
                ? "    null,"
                : "    static o => ((" + kind.FullName + ")o)." + operation(kind) + "(),");
        }

        writer.Line("};");
    }
}
