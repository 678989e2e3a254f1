using Akka.Actor;
using AkkaGame.Game.Frames;
using AkkaGame.Game.Sessions;
using AkkaGame.Game.Simulation;
using AkkaGame.Node.Messages;
using AkkaGame.Node.Persistence.V1;
using Akkagame.V1;

namespace AkkaGame.Node.Sectors;

/// <summary>Chat: a line is journaled before anyone hears it, so every ChatLine sent is in the history.</summary>
public sealed partial class SectorActor
{
    /// <summary>The one place a stored event changes the sector: recovery replays it, a live write applies it once stored.</summary>
    private void Apply(ChatPostedV1 chat) => _state.ApplyChat(SectorSnapshots.FromPersisted(chat));

    private void OnChat(PostChat chat)
    {
        if (!MayAnswer())
        {
            return;
        }

        var ship = _state.FindShip(chat.PlayerId);
        var text = ChatRules.Validate(chat.Text, _state.Rules.ChatMaxLength, out var reason);
        if (ship is null || text is null)
        {
            Sender.Tell(new InputRejected(chat.Seq, ErrorCode.InvalidInput, ship is null ? "no ship in this sector" : reason));
            return;
        }

        var entry = new ChatEntry(_state.LastChatId + 1, chat.PlayerId, ship.Name, text, Replies.ServerTimeUs(TimeProvider.System));
        var sender = Sender;

        // Persist (not PersistAsync) stashes commands until stored, so chat ids stay sequential
        // and no snapshot can be taken that claims an event whose effect is not yet applied.
        _awaitingWrite = (sender, chat.Seq);
        var posted = SectorSnapshots.ToPersisted(entry);
        posted.Writer = _incarnation;
        PersistMeasured(posted, stored =>
        {
            _awaitingWrite = null;
            if (!MayAnswer())
            {
                return;
            }

            Apply(stored);
            _changedSinceSnapshot = true;
            _delivery.Send(SectorFrames.Chat(entry, _state.Id, ack: 0), _sessions.Where(s => s.Key != chat.PlayerId).Select(s => s.Value));
            _delivery.Send(SectorFrames.Chat(entry, _state.Id, chat.Seq), _sessions.GetValueOrDefault(chat.PlayerId) ?? sender);
        });
    }
}
