using System.Text;

namespace AkkaGame.Operations.Endpoint;

/// <summary>
/// Reads newline-terminated UTF-8 lines with a length cap. A longer line is reported once as
/// too long and the rest of it is skipped, so the connection can go on with the next line.
/// </summary>
public sealed class LineReader(Stream stream, int maxBytes)
{
    private readonly byte[] _buffer = new byte[maxBytes + 4096];
    private int _start;
    private int _end;
    private bool _skipping;

    public enum Kind { Line, TooLong, End }

    public async Task<(Kind Kind, string Text)> ReadAsync(CancellationToken cancel)
    {
        while (true)
        {
            var newline = Array.IndexOf(_buffer, (byte)'\n', _start, _end - _start);
            if (newline >= 0)
            {
                var from = _start;
                _start = newline + 1;
                if (_skipping)
                {
                    _skipping = false;
                    continue;
                }

                var length = newline - from;
                if (length > maxBytes)
                {
                    return (Kind.TooLong, string.Empty);
                }

                if (length > 0 && _buffer[newline - 1] == '\r')
                {
                    length--;
                }

                return (Kind.Line, Encoding.UTF8.GetString(_buffer, from, length));
            }

            if (_skipping)
            {
                _start = _end = 0;
            }
            else if (_end - _start > maxBytes)
            {
                _skipping = true;
                _start = _end = 0;
                return (Kind.TooLong, string.Empty);
            }
            else if (_start > 0)
            {
                Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
                _end -= _start;
                _start = 0;
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_end), cancel);
            if (read == 0)
            {
                return (Kind.End, string.Empty);
            }

            _end += read;
        }
    }
}
