"""Where a node's samples go, by what runs them: a `perf script -F comm,tid,ip,sym,dso` dump of
bench/scripts/profile.sh's perf data (PROFILE_KEEP_PERF_DATA=1), stacks leaf first.

  python3 breakdown.py CG.TXT

Prints: each sample's owner (the first of Akka.IO's TcpConnection actor, the stream interpreter,
the session, the sector, ... found on its stack), the socket sends and what in them wakes the
reader, and the sector's own samples by the AkkaGame frame nearest the leaf and its callee.
"""
import collections
import os
import re
import sys

# The stack parser of the storm profile's query tool (same `perf script` format).
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', '20261203T1450Z-storm-profile'))
from perfq import samples  # noqa: E402

OWNERS = [
    ('Akka.IO TcpConnection actor', 'Akka.IO.TcpConnection'),
    ('stream interpreter (connection stages)', 'GraphInterpreter'),
    ('session actor', 'SessionActor'),
    ('sector actor (tick, deltas, writes to connections)', 'SectorActor'),
    ('sharding', 'Sharding'),
    ('persistence', 'Persistence'),
    ('cluster', 'Akka.Cluster'),
    ('socket engine', 'SocketAsyncEngine'),
    ('JIT', 'jit'),
]


def short(frame):
    frame = re.sub(r'\[[^\]]*\]', '', frame)
    frame = re.sub(r'\(.*', '', frame)
    for word in ('instance ', 'class ', 'void ', 'bool ', 'valuetype ', 'int32 '):
        frame = frame.replace(word, '')
    return frame.strip()[-100:]


def has(stack, pattern):
    return any(pattern in f for f in stack)


def main(path):
    all_samples = samples(path)
    n = len(all_samples)
    print(f'{n} samples')
    owners = collections.Counter()
    for s in all_samples:
        joined = ' | '.join(s)
        owners[next((name for name, pat in OWNERS if pat in joined), 'other (thread pool, mailboxes, runtime)')] += 1
    print('\nby owner:')
    for name, count in owners.most_common():
        print(f'  {count / n * 100:5.1f}%  {name}')

    sends = [s for s in all_samples if has(s, 'Socket::SendAsync')]
    print('\nsocket sends (Socket.SendAsync, all callers):')
    print(f'  {len(sends) / n * 100:5.1f}%  in SendAsync')
    print(f'  {sum(has(s, "entry_SYSCALL") for s in sends) / n * 100:5.1f}%  of which in the system call')
    print(f'  {sum(has(s, "sock_def_readable") for s in sends) / n * 100:5.1f}%  of which waking the reading socket (loopback: the load generator)')

    sector = [s for s in all_samples if has(s, 'SectorActor') and not has(s, 'Akka.IO.TcpConnection')]
    calls = collections.Counter()
    for s in sector:
        i = next(i for i, f in enumerate(s) if 'AkkaGame' in f)
        calls[short(s[i]) + '  ->  ' + (short(s[i - 1]) if i > 0 else '(self)')] += 1
    print('\nthe sector actor, by its frame nearest the leaf -> callee (top 15):')
    for call, count in calls.most_common(15):
        print(f'  {count / n * 100:5.1f}%  {call}')


if __name__ == '__main__':
    main(sys.argv[1])
