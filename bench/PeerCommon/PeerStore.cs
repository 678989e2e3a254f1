using System.Threading.Channels;
using Microsoft.Data.Sqlite;

namespace AkkaGame.Bench.PeerCommon;

/// <summary>
/// What a durable peer stores before it answers, in SQLite as the node's default profile does
/// (a WAL journal, SQLite's default synchronous setting): one row per change (a player's
/// registration, a credit, a jump, a chat line), appended by one writer thread that commits
/// whatever has queued up in one transaction (group commit, as a serious hand-written server
/// would), and completes each writer's task only after the commit. So a peer's Credits, Jumped,
/// Welcome or ChatLine is as durable as the node's, and a benchmark prices the design, not the
/// durability.
/// </summary>
public sealed class PeerStore : IAsyncDisposable
{
    private const int MaxBatch = 512;

    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SqliteConnection _connection;
    private readonly Thread _writer;

    private PeerStore(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString());
        _connection.Open();
        Execute("PRAGMA journal_mode=WAL;");
        Execute("CREATE TABLE IF NOT EXISTS changes (id INTEGER PRIMARY KEY, entity TEXT NOT NULL, kind TEXT NOT NULL, data TEXT NOT NULL);");
        _writer = new Thread(WriteLoop) { IsBackground = true, Name = "peer-store" };
        _writer.Start();
    }

    public string Path { get; }

    /// <summary>A store in a SQLite file at <paramref name="path"/> (created when missing).</summary>
    public static PeerStore Open(string path) => new(path);

    /// <summary>Appends one change; the task completes once it is committed (or fails with the write).</summary>
    public Task WriteAsync(string entity, string kind, string data)
    {
        var pending = new Pending(entity, kind, data, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        if (!_queue.Writer.TryWrite(pending))
        {
            pending.Done.SetException(new ObjectDisposedException(nameof(PeerStore)));
        }

        return pending.Done.Task;
    }

    /// <summary>The rows of one entity, oldest first (kind, data): for a grain's read and for audits.</summary>
    public IReadOnlyList<(string Kind, string Data)> Read(string entity) =>
        Query(Path, "SELECT kind, data FROM changes WHERE entity = $p ORDER BY id;", entity);

    /// <summary>Every row whose entity contains <paramref name="fragment"/> (a player id), from the file at <paramref name="path"/>.</summary>
    public static IReadOnlyList<(string Kind, string Data)> ReadMatching(string path, string fragment) =>
        Query(path, "SELECT kind, data FROM changes WHERE instr(entity, $p) > 0 ORDER BY id;", fragment);

    private static List<(string Kind, string Data)> Query(string path, string sql, string parameter)
    {
        using var reader = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        reader.Open();
        using var command = reader.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", parameter);
        using var rows = command.ExecuteReader();
        var result = new List<(string, string)>();
        while (rows.Read())
        {
            result.Add((rows.GetString(0), rows.GetString(1)));
        }

        return result;
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.Run(_writer.Join);
        _connection.Dispose();
    }

    private void WriteLoop()
    {
        var batch = new List<Pending>(MaxBatch);
        using var insert = _connection.CreateCommand();
        insert.CommandText = "INSERT INTO changes (entity, kind, data) VALUES ($entity, $kind, $data);";
        var entity = insert.Parameters.Add("$entity", SqliteType.Text);
        var kind = insert.Parameters.Add("$kind", SqliteType.Text);
        var data = insert.Parameters.Add("$data", SqliteType.Text);
        while (_queue.Reader.WaitToReadAsync().AsTask().GetAwaiter().GetResult())
        {
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            try
            {
                using var transaction = _connection.BeginTransaction();
                insert.Transaction = transaction;
                foreach (var p in batch)
                {
                    entity.Value = p.Entity;
                    kind.Value = p.Kind;
                    data.Value = p.Data;
                    insert.ExecuteNonQuery();
                }

                transaction.Commit();
                batch.ForEach(p => p.Done.SetResult());
            }
            catch (SqliteException e)
            {
                batch.ForEach(p => p.Done.SetException(e));
            }

            batch.Clear();
        }
    }

    private void Execute(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private sealed record Pending(string Entity, string Kind, string Data, TaskCompletionSource Done);
}
