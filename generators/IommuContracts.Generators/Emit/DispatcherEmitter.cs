using System.Linq;
using IommuContracts.Generators.Model;

namespace IommuContracts.Generators.Emit;

/// <summary>
/// Emits <c>Dispatch(memory, command, argument)</c> for a dispatcher class. iommufd commands form a table
/// indexed by the ioctl number, checked as the kernel does (read the size, then match the full command,
/// ENOTTY for holes); VFIO and value commands are matched by the full command; anything else is ENOTTY.
/// </summary>
internal static class DispatcherEmitter
{
    private const string Errno = "global::IommuContracts.Errno";
    private const string Ioctl = "global::IommuContracts.Ioctl";
    private const string ToResult = "global::IommuContracts.ErrnoExtensions.ToSyscallResult";

    public static string Emit(DispatcherModel model)
    {
        var table = model.Handlers.Where(h => h.Convention == Convention.Iommufd && h.Argument == ArgumentKind.Pointer).ToList();
        var byCommand = model.Handlers.Where(h => !table.Contains(h)).ToList();
        var writer = GeneratedFile.Start(model.Namespace);
        writer.Line(GeneratedFile.CodeAttribute);
        using (writer.Block("partial class " + model.Name))
        {
            writer.Line("/// <summary>Runs one ioctl: returns a non-negative value on success, <c>-errno</c> on failure, never throws for bad input.</summary>");
            writer.Line("/// <param name=\"memory\">The calling process's memory, which <paramref name=\"argument\"/> points into.</param>");
            writer.Line("/// <param name=\"command\">The request value the caller passed to ioctl(2).</param>");
            writer.Line("/// <param name=\"argument\">The ioctl's argument: a user address, or the value itself for a value command.</param>");
            writer.Line("/// <returns>What the syscall would return: <c>&gt;= 0</c> on success, <c>-errno</c> on failure.</returns>");
            using (writer.Block("public int Dispatch(global::IommuContracts.IUserMemory memory, uint command, ulong argument)"))
            {
                if (model.GateMethod is { } gate)
                {
                    writer.Line("var __gate = " + gate + "(command);");
                    writer.Line("if (__gate != " + Errno + ".None) return " + ToResult + "(__gate);");
                }

                if (table.Count > 0)
                {
                    EmitTable(writer, table, fallThrough: byCommand.Count > 0);
                }

                if (byCommand.Count > 0)
                {
                    using (writer.Block("switch (command)"))
                    {
                        foreach (var handler in byCommand)
                        {
                            var call = handler.Argument == ArgumentKind.Value
                                ? handler.MethodName + "(argument)"
                                : HelperName(handler) + "(memory, command, argument)";
                            writer.Line("case " + handler.CommandTypeName + ".Command: return " + call + ";");
                        }
                    }
                }

                writer.Line("return " + ToResult + "(" + Errno + ".ENOTTY);");
            }

            foreach (var handler in model.Handlers.Where(h => h.Argument == ArgumentKind.Pointer))
            {
                writer.Line();
                EmitHelper(writer, handler, table.Contains(handler));
            }
        }

        return writer.ToString();
    }

    private static void EmitTable(IndentedWriter writer, System.Collections.Generic.List<HandlerModel> table, bool fallThrough)
    {
        var first = table.Min(h => h.Number);
        var last = table.Max(h => h.Number);
        writer.Line("var __number = (byte)command;");
        using (writer.Block("if (__number >= " + IndentedWriter.Hex(first) + " && __number <= " + IndentedWriter.Hex(last) + ")"))
        {
            writer.Line("var __read = " + Ioctl + ".IoctlArguments.ReadLeadingSize(memory, argument, out var __size);");
            writer.Line("if (__read != " + Errno + ".None) return " + ToResult + "(__read);");
            using (writer.Block("switch (__number)"))
            {
                foreach (var handler in table.OrderBy(h => h.Number))
                {
                    writer.Line("case " + IndentedWriter.Hex(handler.Number) + ":");
                    writer.Line("    if (command == " + handler.CommandTypeName + ".Command) return " + HelperName(handler) + "(memory, command, argument, __size);");
                    writer.Line("    break;");
                }
            }

            // A hole in the table, or a number whose full encoding does not match (ENOIOCTLCMD in the kernel).
            // VFIO shares iommufd's type byte, so a VFIO command may land in the table's range: let the
            // by-command switch below have it before answering ENOTTY.
            if (!fallThrough)
            {
                writer.Line("return " + ToResult + "(" + Errno + ".ENOTTY);");
            }
        }
    }

    private static void EmitHelper(IndentedWriter writer, HandlerModel handler, bool sizeAlreadyRead)
    {
        var parameters = "global::IommuContracts.IUserMemory memory, uint command, ulong argument" + (sizeAlreadyRead ? ", uint size" : string.Empty);
        using (writer.Block("private int " + HelperName(handler) + "(" + parameters + ")"))
        {
            writer.Line("var __call = new " + Ioctl + ".IoctlCall(memory, command, argument" + (sizeAlreadyRead ? ", size" : string.Empty) + ");");
            writer.Line("var __received = " + Ioctl + ".IoctlArguments.Receive<" + handler.CommandTypeName + ">(ref __call, out var __argument);");
            writer.Line("if (__received != " + Errno + ".None) return " + ToResult + "(__received);");
            writer.Line("var __result = " + handler.MethodName + "(ref __argument" + (handler.TakesCall ? ", ref __call" : string.Empty) + ");");
            writer.Line("return " + Ioctl + ".IoctlArguments.Complete(ref __call, ref __argument, __result);");
        }
    }

    private static string HelperName(HandlerModel handler) => "__Dispatch" + handler.MethodName;
}
