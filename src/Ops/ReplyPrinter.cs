using AkkaGame.Operations.Protocol;

namespace AkkaGame.Ops;

/// <summary>Prints replies: aligned tables and text for people, one line of JSON data per reply for scripts.</summary>
public sealed class ReplyPrinter(TextWriter output, TextWriter error, bool json)
{
    /// <summary>Prints one reply; returns its exit code.</summary>
    public int Print(OpsReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        if (!reply.Ok)
        {
            error.WriteLine("error: " + (reply.Error ?? "the endpoint gave no reason"));
            return reply.ExitCode is > 0 and var code ? code : OpsExitCodes.Failed;
        }

        if (json)
        {
            if (reply.Data is { } data)
            {
                output.WriteLine(data.ToJsonString(OpsJson.Options));
            }
        }
        else
        {
            if (reply.Table is { } table)
            {
                TableWriter.Write(table, output);
            }

            if (!string.IsNullOrEmpty(reply.Text))
            {
                output.WriteLine(reply.Text);
            }
        }

        output.Flush();
        return OpsExitCodes.Ok;
    }
}
