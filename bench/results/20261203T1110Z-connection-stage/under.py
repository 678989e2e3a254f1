import sys, re, collections
target = sys.argv[2]; depth = int(sys.argv[3]) if len(sys.argv) > 3 else 1
samples = []; cur = []
for line in open(sys.argv[1], errors='replace'):
    if not line.strip():
        if cur: samples.append(cur); cur = []
        continue
    if line.startswith('\t') or line.startswith(' '):
        parts = line.strip().split(' ', 1)
        cur.append(parts[1] if len(parts) > 1 else parts[0])
    else:
        cur = []
if cur: samples.append(cur)
tot = len(samples); hit = 0; kids = collections.Counter()
def short(s):
    s = re.sub(r'\[(QuickJitted|OptimizedTier1|InstrumentedTier|Optimized|InstrumentedTierOptimized|PreJIT)\]', '', s)
    s = re.sub(r'class |valuetype |instance ', '', s)
    return s[:150]
for st in samples:  # st[0] = leaf
    idx = [i for i, f in enumerate(st) if target in f]
    if not idx: continue
    hit += 1
    i = idx[-1]  # outermost occurrence
    child = st[max(0, i - depth)] if i - depth >= 0 else '(self)'
    kids[short(child) if i > 0 else '(self)'] += 1
print(f"{target}: {hit}/{tot} = {100*hit/tot:.1f}%")
for k, v in kids.most_common(25): print(f"  {100*v/tot:5.1f}%  {k}")
