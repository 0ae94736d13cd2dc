# str.find/rfind/index/rindex/count/startswith/endswith with start and end, in characters,
# including bounds past the end, negative bounds, empty needles and non-ASCII text.
s = "abracadabra"
for sub in ("a", "bra", "", "z", "abracadabra!"):
    for bounds in ((), (1,), (-4,), (3, 8), (5, 2), (11,), (12,), (-100, 100), (None, 4), (2, None)):
        print(repr(sub), bounds, s.find(sub, *bounds), s.rfind(sub, *bounds), s.count(sub, *bounds),
              s.startswith(sub, *bounds), s.endswith(sub, *bounds))
t = "héllo wörld, héllo"
print(t.find("l", 3), t.rfind("héllo"), t.index("ö"), t.rindex("l", 0, 5), t.count("l", -6))
print(t.startswith("wö", 6), t.endswith("llo", 0, 5), t.startswith(("x", "hé")), t.endswith(("rld", "lo"), 0, 11))
print("abc".find("", 3), "abc".find("", 4), "abc".count("", 4), "abc".count("", 0, 0), "".count(""))
print("abc".startswith(("a", 1)), "abc".find("c", 2**80), "abc".find("a", -2**80))
class I:
    def __index__(self):
        return 1
print("abc".find("b", I()), "abc".startswith("b", I()))
for bad in (lambda: "abc".find(1), lambda: "abc".count(None), lambda: "abc".startswith(1),
            lambda: "abc".endswith(("a", 2)), lambda: "abc".index("z"), lambda: "abc".rindex("z", 1),
            lambda: "abc".find("a", "1"), lambda: "abc".find(), lambda: "abc".count("a", 1, 2, 3)):
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__, e)
print("abc".isascii(), "é".isascii(), "".isascii(), "123".isdecimal(), "١٢".isdecimal(), "½".isnumeric(), "a1".isnumeric())
print("ab c".isprintable(), "a\nb".isprintable(), "".isprintable(), "\t".isprintable())
for w in ("Hello World", "Hello world", "HELLO", "Hello  World!", "", "123", "A1b", "ǅungla", "O'Neil Is"):
    print(repr(w), w.istitle())
