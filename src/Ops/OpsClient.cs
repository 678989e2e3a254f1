using System.Net.Sockets;
using System.Runtime.CompilerServices;
using System.Text;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Ops;

/// <summary>One connection to an operator endpoint: sends requests, reads their reply lines.</summary>
public sealed class OpsClient : IAsyncDisposable
{
    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;
    private readonly StreamReader _reader;
    private long _nextId;

    private OpsClient(TcpClient tcp)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        _reader = new StreamReader(_stream, new UTF8Encoding(false));
    }

    /// <summary>Throws <see cref="SocketException"/> or <see cref="TimeoutException"/> when nothing answers.</summary>
    public static async Task<OpsClient> ConnectAsync(HostPort endpoint, TimeSpan timeout, CancellationToken cancel)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancel);
            limit.CancelAfter(timeout);
            try
            {
                await tcp.ConnectAsync(endpoint.Host, endpoint.Port, limit.Token);
            }
            catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
            {
                throw new TimeoutException($"no answer within {timeout.TotalSeconds:0.#} s");
            }

            return new OpsClient(tcp);
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Sends one command and yields its reply lines, the last one with <c>More == false</c>.
    /// Throws <see cref="IOException"/> when the connection ends before that.
    /// </summary>
    public async IAsyncEnumerable<OpsReply> RunAsync(IReadOnlyList<string> args, string? secret, bool json, [EnumeratorCancellation] CancellationToken cancel = default)
    {
        var request = new OpsRequest(++_nextId, secret, args, json);
        await SendLineAsync(request.ToJsonLine(), cancel);
        while (true)
        {
            var line = await _reader.ReadLineAsync(cancel)
                ?? throw new IOException("the endpoint closed the connection before the command finished");
            var reply = OpsReply.FromJsonLine(line) ?? throw new IOException("the endpoint sent an empty reply");
            yield return reply;
            if (!reply.More)
            {
                yield break;
            }
        }
    }

    /// <summary>Writes a raw line: for tests of what the endpoint does with bad input.</summary>
    public async Task SendLineAsync(string line, CancellationToken cancel = default)
    {
        await _stream.WriteAsync(Encoding.UTF8.GetBytes(line + "\n"), cancel);
        await _stream.FlushAsync(cancel);
    }

    /// <summary>The next raw reply line; null when the endpoint closed the connection.</summary>
    public async Task<OpsReply?> ReadReplyAsync(CancellationToken cancel = default) =>
        await _reader.ReadLineAsync(cancel) is { } line ? OpsReply.FromJsonLine(line) : null;

    public async ValueTask DisposeAsync()
    {
        _reader.Dispose();
        await _stream.DisposeAsync();
        _tcp.Dispose();
    }
}
