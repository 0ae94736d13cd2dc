# str.casefold(): full case folding (ß -> ss, ligatures, final sigma, Greek iota subscripts,
# Cherokee folding to capitals), compared with lower().
import sys

for s in ['Straße', 'STRASSE', 'ẞ', 'ﬁne ﬂour ﬀ ﬃ ﬆ', 'ὈΔΥΣΣΕΎΣ', 'σς Σ', 'ᾳ ᾼ ῳ ᾀ',
          'ŉ ǰ ΐ ΰ', 'ſ µ ϐ ϑ ϕ ϖ ϰ ϱ ϵ', 'ı İ I i', 'Ꭰꭰ Ᏸᏸ', 'և', 'ABC def', '', 'ǅ ǈ ǋ']:
    print(repr(s), repr(s.casefold()), [hex(ord(c)) for c in s.casefold()][:8])
print('Straße'.casefold() == 'STRASSE'.casefold(), 'ΣΑΣ'.lower(), 'ΣΑΣ'.casefold())
# Every code point whose fold differs from its lowercase (assigned in Unicode 14, so the same
# in CPython 3.11 and in pyheap's newer tables): how many, and a checksum of the folds.
n = acc = 0
for c in range(sys.maxunicode + 1):
    if 0xd800 <= c < 0xe000:
        continue
    ch = chr(c)
    f = ch.casefold()
    if f != ch.lower():
        n += 1
        for x in f:
            acc = (acc * 31 + ord(x)) % 1000000007
print(n, acc)
