import sys, collections
samples=[]; cur=[]
for line in open(sys.argv[1], errors='replace'):
    if not line.strip():
        if cur: samples.append(cur); cur=[]
        continue
    if line.startswith('\t') or line.startswith(' '):
        parts=line.strip().split(' ',1); cur.append(parts[1] if len(parts)>1 else parts[0])
    else: cur=[]
if cur: samples.append(cur)
tot=len(samples)
sub=[s for s in samples if any(sys.argv[2] in f for f in s)]
print(f"{sys.argv[2]}: {len(sub)}/{tot} = {100*len(sub)/tot:.1f}%")
for kw in sys.argv[3:]:
    n=sum(1 for s in sub if any(kw in f for f in s))
    print(f"  {100*n/tot:5.1f}%  {kw}")
