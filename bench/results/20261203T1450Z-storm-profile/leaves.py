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
tot=len(samples); n=int(sys.argv[3]) if len(sys.argv)>3 else 25
sub=[s for s in samples if any(sys.argv[2] in f for f in s)]
c=collections.Counter()
for s in sub:
    # first managed-ish frame from leaf with a '::'
    name=s[0]
    for f in s:
        if '::' in f: name=f; break
    name=re.sub(r'\+0x[0-9a-f]+ \(.*\)$','',name); name=re.sub(r'\[[A-Za-z\.]+\]','',name)
    c[name[-140:]]+=1
print(len(sub), tot)
for k,v in c.most_common(n): print(f"  {100*v/tot:5.2f}%  {k}")
