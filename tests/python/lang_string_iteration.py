# Iterating over strings, bytes and building strings.
word = "banana"
counts = {}
for ch in word:
    counts[ch] = counts.get(ch, 0) + 1
print(counts)
print([c.upper() for c in word if c != "a"])
print(list(b"hi"), bytes([104, 105]), b"ab" + b"cd", b"abc"[1], b"abc"[1:])
parts = []
for i in range(5):
    parts.append(str(i))
print("".join(parts), ",".join(map(str, range(3))))
print("abc" < "abd", "Z" < "a", sorted(["b", "A", "a", "B"]))
