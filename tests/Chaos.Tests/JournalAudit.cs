using AkkaGame.Node.Persistence.V1;
using Npgsql;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// Reads what the cluster stored (the PostgreSQL journal) and checks it against what clients
/// were acknowledged: balances, chat lines, and that no entity ever had two live writers.
/// </summary>
public sealed class JournalAudit
{
    private readonly Dictionary<string, List<long>> _balances = new(StringComparer.Ordinal);
    private readonly HashSet<(string Sector, ulong Id, string Text)> _chat = [];
    private readonly List<string> _twoWriters = [];

    private JournalAudit()
    {
    }

    public int EventsRead { get; private set; }

    public IReadOnlyList<string> EntitiesWithTwoWriters => _twoWriters;

    public static async Task<JournalAudit> ReadAsync(string connectionString)
    {
        var audit = new JournalAudit();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "select persistence_id, sequence_nr, manifest, payload from event_journal " +
            "where persistence_id like 'player-%' or persistence_id like 'sector-%' order by persistence_id, sequence_nr",
            connection);
        await using var reader = await command.ExecuteReaderAsync();
        string? current = null;
        var writers = new List<string>();
        var applied = new HashSet<string>(StringComparer.Ordinal);
        long balance = 0;
        while (await reader.ReadAsync())
        {
            audit.EventsRead++;
            var id = reader.GetString(0);
            if (id != current)
            {
                audit.CloseEntity(current, writers);
                current = id;
                writers.Clear();
                applied.Clear();
                balance = 0;
            }

            var payload = (byte[])reader[3];
            var manifest = reader.GetString(2);
            var writer = WriterOf(manifest, payload);
            if (writer.Length > 0 && (writers.Count == 0 || writers[^1] != writer))
            {
                writers.Add(writer);
            }

            switch (manifest)
            {
                case "akkagame.persisted.v1.CreditsAddedV1":
                    var credit = CreditsAddedV1.Parser.ParseFrom(payload);
                    if (applied.Add(credit.OperationId))
                    {
                        balance += credit.Amount;
                        audit.Balances(id["player-".Length..]).Add(balance);
                    }

                    break;
                case "akkagame.persisted.v1.ChatPostedV1":
                    var chat = ChatPostedV1.Parser.ParseFrom(payload);
                    audit._chat.Add((id["sector-".Length..], chat.Id, chat.Text));
                    break;
            }
        }

        audit.CloseEntity(current, writers);
        return audit;
    }

    /// <summary>The stored balance history of a player: every balance it ever had, in order.</summary>
    public IReadOnlyList<long> BalanceHistory(string playerId) => _balances.GetValueOrDefault(playerId) ?? [];

    /// <summary>The player's stored balance now (0 for a player with no credits stored).</summary>
    public long FinalBalance(string playerId) => BalanceHistory(playerId) is { Count: > 0 } history ? history[^1] : 0;

    public bool HasChat(AckedChat chat) => _chat.Contains((chat.SectorId, chat.Id, chat.Text));

    private List<long> Balances(string playerId)
    {
        if (!_balances.TryGetValue(playerId, out var list))
        {
            _balances[playerId] = list = [];
        }

        return list;
    }

    /// <summary>The entity instance that journaled an event (persisted.proto's writer field).</summary>
    private static string WriterOf(string manifest, byte[] payload) => manifest switch
    {
        "akkagame.persisted.v1.CreditsAddedV1" => CreditsAddedV1.Parser.ParseFrom(payload).Writer,
        "akkagame.persisted.v1.ChatPostedV1" => ChatPostedV1.Parser.ParseFrom(payload).Writer,
        "akkagame.persisted.v1.PlayerRegisteredV1" => PlayerRegisteredV1.Parser.ParseFrom(payload).Writer,
        "akkagame.persisted.v1.PlayerRenamedV1" => PlayerRenamedV1.Parser.ParseFrom(payload).Writer,
        "akkagame.persisted.v1.PlayerRelocatedV1" => PlayerRelocatedV1.Parser.ParseFrom(payload).Writer,
        _ => string.Empty,
    };

    /// <summary>
    /// Writer instances in sequence-number order, with repeats collapsed: an instance that
    /// comes back after another wrote means two instances were alive at once. (An entity that
    /// moved gets a new instance each time, so moving back and forth is not flagged.)
    /// </summary>
    private void CloseEntity(string? id, List<string> writers)
    {
        if (id is not null && writers.Distinct(StringComparer.Ordinal).Count() != writers.Count)
        {
            _twoWriters.Add($"{id}: writers {string.Join(" -> ", writers)}");
        }
    }
}
