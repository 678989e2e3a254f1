using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Akka.Actor;
using Akka.Event;
using AkkaGame.Operations.Commands;
using AkkaGame.Operations.Protocol;

namespace AkkaGame.Operations.Endpoint;

/// <summary>
/// One operator connection: reads request lines, runs each command, writes its reply lines.
/// Commands run concurrently with reading, so a streaming command ends when the client goes.
/// Nothing a client sends can throw out of here: every failure becomes an error reply or a log line.
/// </summary>
internal sealed class OpsConnection : IDisposable
{
    /// <summary>More than this many commands running on one connection is a misbehaving client.</summary>
    private const int MaxInFlight = 8;

    private readonly TcpClient _client;
    private readonly NetworkStream _stream;
    private readonly ActorSystem _system;
    private readonly OpsSettings _settings;
    private readonly OpsCommandRegistry _registry;
    private readonly ILoggingAdapter _log;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly string _remote;

    public OpsConnection(TcpClient client, ActorSystem system, OpsSettings settings, OpsCommandRegistry registry, ILoggingAdapter log)
    {
        _client = client;
        _stream = client.GetStream();
        _system = system;
        _settings = settings;
        _registry = registry;
        _log = log;
        _remote = client.Client.RemoteEndPoint?.ToString() ?? "unknown";
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        var running = new List<Task>();
        try
        {
            var reader = new LineReader(_stream, _settings.MaxLineBytes);
            while (true)
            {
                var (kind, line) = await reader.ReadAsync(cancel.Token);
                if (kind == LineReader.Kind.End)
                {
                    break;
                }

                if (kind == LineReader.Kind.TooLong)
                {
                    await WriteAsync(OpsReply.Failure($"request line longer than {_settings.MaxLineBytes} bytes; it was skipped", OpsExitCodes.Usage));
                    continue;
                }

                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                if (!OpsRequest.TryParse(line, out var request, out var id, out var error))
                {
                    await WriteAsync(OpsReply.Failure(error, OpsExitCodes.Usage) with { Id = id });
                    continue;
                }

                if (!Authenticated(request))
                {
                    // No second guess on the same connection: a client with a wrong secret starts over.
                    _log.Warning("Operator connection from {0}: wrong or missing secret; closing it", _remote);
                    await WriteAsync(OpsReply.Failure("authentication failed: this endpoint needs the operator secret (--secret or AKKAGAME_OPS_SECRET)", OpsExitCodes.AuthenticationFailed) with { Id = request.Id });
                    break;
                }

                running.RemoveAll(t => t.IsCompleted);
                if (running.Count >= MaxInFlight)
                {
                    await WriteAsync(OpsReply.Failure($"more than {MaxInFlight} commands running on this connection; wait for one to finish", OpsExitCodes.Failed) with { Id = request.Id });
                    continue;
                }

                running.Add(RunCommandAsync(request, cancel.Token));
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            _log.Debug("Operator connection from {0} ended: {1}", _remote, e.Message);
        }
        finally
        {
            await cancel.CancelAsync();
            await Task.WhenAll(running);
        }
    }

    public void Dispose()
    {
        _stream.Dispose();
        _client.Dispose();
        _writeLock.Dispose();
    }

    private bool Authenticated(OpsRequest request)
    {
        if (_settings.Secret.Length == 0)
        {
            return true;
        }

        // Hashes first so the comparison takes the same time whatever the lengths.
        var given = SHA256.HashData(Encoding.UTF8.GetBytes(request.Secret ?? string.Empty));
        var expected = SHA256.HashData(Encoding.UTF8.GetBytes(_settings.Secret));
        return CryptographicOperations.FixedTimeEquals(given, expected);
    }

    /// <summary>Runs one command to its final reply; never throws.</summary>
    private async Task RunCommandAsync(OpsRequest request, CancellationToken cancel)
    {
        OpsReply reply;
        try
        {
            reply = await ExecuteAsync(request, cancel);
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            // The client went (or the node stops): a streaming command ends here, with nobody to answer.
            return;
        }
        catch (OpsUsageException e)
        {
            reply = OpsReply.Failure(e.Message, OpsExitCodes.Usage);
        }
        catch (OpsCommandException e)
        {
            reply = OpsReply.Failure(e.Message, OpsExitCodes.Failed);
        }
        catch (AskTimeoutException e)
        {
            reply = OpsReply.Failure("timed out waiting for the node: " + e.Message, OpsExitCodes.Failed);
        }
        catch (Exception e)
        {
            _log.Error(e, "Operator command '{0}' failed", string.Join(' ', request.Args));
            reply = OpsReply.Failure($"the command failed on the node: {e.GetType().Name}: {e.Message}", OpsExitCodes.Failed);
        }

        try
        {
            await WriteAsync(request.Json ? reply with { Id = request.Id, Table = null, Text = null } : reply with { Id = request.Id });
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException or OperationCanceledException)
        {
            _log.Debug("Operator connection from {0}: reply to '{1}' not delivered: {2}", _remote, string.Join(' ', request.Args), e.Message);
            return;
        }

        if (reply.AfterSent is { } after)
        {
            await after();
        }
    }

    private async Task<OpsReply> ExecuteAsync(OpsRequest request, CancellationToken cancel)
    {
        if (request.Args.Count == 0)
        {
            // An empty request is a greeting: the CLI's check that it reached an endpoint.
            var self = Akka.Cluster.Cluster.Get(_system).SelfMember;
            return OpsReply.Success(
                text: $"AkkaGame operator endpoint on {self.Address} (roles: {string.Join(',', self.Roles.Order())}); type 'help'",
                data: new { address = self.Address.ToString(), roles = self.Roles.Order().ToList() });
        }

        var (command, rest) = _registry.Resolve(request.Args);
        var args = OpsArgs.Parse(rest, command);
        _log.Info("Operator command from {0}: {1}", _remote, string.Join(' ', request.Args));
        var context = new OpsRequestContext(_system, args, _registry, _settings.CommandTimeout, _log,
            line => WriteAsync(request.Json ? line with { Id = request.Id, Table = null, Text = null } : line with { Id = request.Id }), cancel);
        return await command.RunAsync(context);
    }

    private async Task WriteAsync(OpsReply reply)
    {
        var bytes = Encoding.UTF8.GetBytes(reply.ToJsonLine() + "\n");
        await _writeLock.WaitAsync();
        try
        {
            await _stream.WriteAsync(bytes);
            await _stream.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }
}
