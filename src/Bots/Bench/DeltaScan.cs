using System.Buffers.Binary;
using System.Text;
using Akkagame.V1;

namespace AkkaGame.Bots.Bench;

/// <summary>
/// What a load generator client needs from one <c>SectorDelta</c> frame, read by walking its
/// protobuf fields instead of decoding it: the sector, the time dilation, how many ships it
/// carries, and the client's own ship (the only one decoded). In a crowd every client receives
/// every ship of its view 20 times a second; decoding them all (a string and an object per
/// ship) is what saturated the generator's core before any server was at its limit.
/// </summary>
internal readonly record struct DeltaScan(bool SectorMatches, float TimeDilation, int Ships, Ship? OwnShip)
{
    // ServerMessage.delta = 12; SectorDelta: sector_id = 1, ships = 3, time_dilation = 6; Ship.player_id = 1.
    private const int ServerMessageDelta = 12;
    private const int DeltaSectorId = 1;
    private const int DeltaShips = 3;
    private const int DeltaTimeDilation = 6;
    private const int ShipPlayerId = 1;

    private const int WireVarint = 0;
    private const int WireFixed64 = 1;
    private const int WireLengthDelimited = 2;
    private const int WireFixed32 = 5;

    /// <summary>
    /// Scans <paramref name="frame"/> (a ServerMessage body). False when it is not a delta, or not
    /// one this scan can read (then decode it normally). The own ship is the one whose player id
    /// is <paramref name="playerId"/> (UTF-8); the sector matches when its id is <paramref name="sectorId"/>.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> frame, ReadOnlySpan<byte> sectorId, ReadOnlySpan<byte> playerId, out DeltaScan scan)
    {
        scan = default;
        if (!TryFindField(frame, ServerMessageDelta, out var delta))
        {
            return false;
        }

        var matches = false;
        var dilation = 0f;
        var ships = 0;
        Ship? own = null;
        var reader = new FieldReader(delta);
        while (reader.Next(out var field, out var wire, out var body))
        {
            switch (field)
            {
                case DeltaSectorId when wire == WireLengthDelimited:
                    matches = body.SequenceEqual(sectorId);
                    break;
                case DeltaShips when wire == WireLengthDelimited:
                    ships++;
                    if (own is null && TryFindField(body, ShipPlayerId, out var id) && id.SequenceEqual(playerId))
                    {
                        own = Ship.Parser.ParseFrom(body);
                    }

                    break;
                case DeltaTimeDilation when wire == WireFixed32:
                    dilation = BinaryPrimitives.ReadSingleLittleEndian(body);
                    break;
                default:
                    break;
            }
        }

        if (!reader.Valid)
        {
            return false;
        }

        scan = new DeltaScan(matches, dilation, ships, own);
        return true;
    }

    /// <summary>UTF-8 bytes of an id, as the scan compares them.</summary>
    public static byte[] Utf8(string? id) => Encoding.UTF8.GetBytes(id ?? string.Empty);

    private static bool TryFindField(ReadOnlySpan<byte> message, int wanted, out ReadOnlySpan<byte> value)
    {
        var reader = new FieldReader(message);
        while (reader.Next(out var field, out var wire, out var body))
        {
            if (field == wanted && wire == WireLengthDelimited)
            {
                value = body;
                return true;
            }
        }

        value = default;
        return false;
    }

    /// <summary>Walks a message's fields: number, wire type and the field's bytes (a varint's value is not decoded).</summary>
    private ref struct FieldReader
    {
        private readonly ReadOnlySpan<byte> _data;
        private int _at;

        public FieldReader(ReadOnlySpan<byte> data)
        {
            _data = data;
            _at = 0;
            Valid = true;
        }

        /// <summary>False once the bytes were found not to be a well-formed message.</summary>
        public bool Valid { get; private set; }

        public bool Next(out int field, out int wire, out ReadOnlySpan<byte> body)
        {
            field = 0;
            wire = 0;
            body = default;
            if (_at >= _data.Length || !TryVarint(out var tag))
            {
                return false;
            }

            field = (int)(tag >> 3);
            wire = (int)(tag & 7);
            var start = _at;
            switch (wire)
            {
                case WireVarint:
                    if (!TryVarint(out _))
                    {
                        return Fail();
                    }

                    break;
                case WireFixed64:
                    _at += 8;
                    break;
                case WireLengthDelimited:
                    if (!TryVarint(out var length) || length > (ulong)(_data.Length - _at))
                    {
                        return Fail();
                    }

                    start = _at;
                    _at += (int)length;
                    break;
                case WireFixed32:
                    _at += 4;
                    break;
                default:
                    return Fail();
            }

            if (field == 0 || _at > _data.Length)
            {
                return Fail();
            }

            body = _data[start.._at];
            return true;
        }

        private bool Fail()
        {
            Valid = false;
            return false;
        }

        private bool TryVarint(out ulong value)
        {
            value = 0;
            for (var shift = 0; shift < 64 && _at < _data.Length; shift += 7)
            {
                var b = _data[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return true;
                }
            }

            Valid = false;
            return false;
        }
    }
}
