using System.Collections.Concurrent;

namespace AkkaGame.Chaos.Tests;

/// <summary>
/// What the clients themselves can tell is wrong, from the protocol alone: a balance that goes
/// back, a Welcome below an acknowledged balance, an acknowledged chat line missing from its
/// sector's history, and one chat id of a sector carrying two different lines (two live
/// instances of the sector). Shared by every player of a run; thread-safe.
/// </summary>
public sealed class ClientAudit
{
    private readonly ConcurrentDictionary<(string Sector, ulong Id), string> _chat = new();
    private readonly ConcurrentQueue<string> _violations = new();

    public IReadOnlyList<string> Violations => _violations.ToList();

    public void Violation(string what) => _violations.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} {what}");

    public void SawChat(string sector, ulong id, string text)
    {
        var first = _chat.GetOrAdd((sector, id), text);
        if (first != text)
        {
            Violation($"{sector}: chat id {id} was \"{first}\" and later \"{text}\" (two instances of the sector wrote)");
        }
    }
}
