# bytes: literals, repr, concatenation, indexing (ints), slicing, iteration, encode/decode.
b = b"hello"
print(b, len(b), b[0], b[-1], b[1:3], b[::-1], list(b[:2]))
print(b + b" world", b * 2, b"ell" in b, 104 in b, b"x" in b, b == b"hello", b < b"help")
print(bytes(3), bytes([65, 66, 67]), bytes("é", "utf-8"), "é".encode(), "abc".encode("ascii"))
print(b"caf\xc3\xa9".decode("utf-8"), b"abc".decode(), str(b"hi", "ascii"), str(b"hi"))
print(repr(b"it's"), repr(b'say "x"'), repr(b"\x00\t\n\x7f\xff"), b"".hex(), b"\x01\xab".hex())
print(b"-".join([b"a", b"b"]), b"abc".upper(), b"aXa".count(b"a"), b"abc".find(b"c"))
print(b"abc".startswith(b"ab"), b"abc".endswith(b"bc"), {b"k": 1}[b"k"], len({b"a", b"a"}))
print(type(b).__name__, isinstance(b, bytes), bool(b""), bool(b"x"))
try:
    b"a" + "b"
except TypeError as e:
    print("TypeError:", e)
try:
    b[10]
except IndexError as e:
    print("IndexError:", e)
try:
    "é".encode("ascii")
except ValueError as e:
    print(type(e).__name__ in ("UnicodeEncodeError", "UnicodeError"))
