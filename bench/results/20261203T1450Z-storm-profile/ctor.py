import sys, re, collections
samples=[]; cur=[]
for line in open(sys.argv[1], errors='replace'):
    if not line.strip():
        if cur: samples.append(cur); cur=[]
        continue
    if line.startswith('\t') or line.startswith(' '):
        parts=line.strip().split(' ',1); cur.append(parts[1] if len(parts)>1 else parts[0])
    else: cur=[]
if cur: samples.append(cur)
tot=len(samples); c=collections.Counter(); hit=0
target=sys.argv[2]
for st in samples:
    idx=[i for i,f in enumerate(st) if target in f]
    if not idx: continue
    hit+=1; i=idx[-1]
    name='(reflection, no ctor frame)'
    for j in range(i-1,-1,-1):
        if '::.ctor' in st[j] and 'System.' not in st[j].split('::.ctor')[0][-60:]:
            m=re.search(r'([\w\.\+`<>]+)::\.ctor', st[j]); name=m.group(1) if m else st[j][:100]; break
    c[name]+=1
print(f"{target}: {hit}/{tot}")
for k,v in c.most_common(15): print(f"  {100*v/tot:5.1f}%  {k}")
