"""Questions to a `perf script` text dump of the node (stack samples, leaf first).

  perfq.py PERF.TXT within FRAME [FRAME2 ...]  share of samples containing FRAME, and of those, each FRAME2
  perfq.py PERF.TXT leaves FRAME [N]            the N leaf-most managed frames of samples containing FRAME
  perfq.py PERF.TXT ctors FRAME                 whose constructor each sample under FRAME (outermost) is in
"""
import collections
import re
import sys


def samples(path):
    out, cur = [], []
    for line in open(path, errors='replace'):
        if not line.strip():
            if cur:
                out.append(cur)
                cur = []
            continue
        if line.startswith(('\t', ' ')):
            parts = line.strip().split(' ', 1)
            cur.append(parts[1] if len(parts) > 1 else parts[0])
        else:
            cur = []
    if cur:
        out.append(cur)
    return out


def pct(n, tot):
    return f"{100 * n / tot:5.1f}%"


def within(all_, frame, others):
    sub = [s for s in all_ if any(frame in f for f in s)]
    print(f"{frame}: {len(sub)}/{len(all_)} = {pct(len(sub), len(all_)).strip()}")
    for kw in others:
        print(f"  {pct(sum(1 for s in sub if any(kw in f for f in s)), len(all_))}  {kw}")


def leaves(all_, frame, n):
    c = collections.Counter()
    for s in all_:
        if any(frame in f for f in s):
            name = next((f for f in s if '::' in f), s[0])
            name = re.sub(r'\+0x[0-9a-f]+ \(.*\)$', '', name)
            c[re.sub(r'\[[A-Za-z\.]+\]', '', name)[-140:]] += 1
    print(sum(c.values()), len(all_))
    for k, v in c.most_common(n):
        print(f"  {pct(v, len(all_))}  {k}")


def ctors(all_, frame):
    c = collections.Counter()
    for s in all_:
        idx = [i for i, f in enumerate(s) if frame in f]
        if not idx:
            continue
        name = '(reflection, no ctor frame)'
        for j in range(idx[-1] - 1, -1, -1):
            if '::.ctor' in s[j] and 'System.' not in s[j].split('::.ctor')[0][-60:]:
                m = re.search(r'([\w\.\+`<>]+)::\.ctor', s[j])
                name = m.group(1) if m else s[j][:100]
                break
        c[name] += 1
    print(f"{frame}: {sum(c.values())}/{len(all_)}")
    for k, v in c.most_common(15):
        print(f"  {pct(v, len(all_))}  {k}")


if __name__ == '__main__':
    path, what, frame = sys.argv[1], sys.argv[2], sys.argv[3]
    data = samples(path)
    if what == 'within':
        within(data, frame, sys.argv[4:])
    elif what == 'leaves':
        leaves(data, frame, int(sys.argv[4]) if len(sys.argv) > 4 else 25)
    elif what == 'ctors':
        ctors(data, frame)
    else:
        sys.exit(__doc__)
