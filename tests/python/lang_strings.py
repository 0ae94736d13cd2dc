# String methods.
s = "  Hello, World  "
print(repr(s.strip()), s.lower(), s.upper(), s.lstrip(), s.rstrip() + "|")
t = "a,b,,c"
print(t.split(","), t.split(",", 1), "a b  c".split(), "-".join(["x", "y", "z"]))
print("hello".replace("l", "L"), "hello".find("l"), "hello".rfind("l"), "hello".find("z"))
print("hello".index("e"), "hello".count("l"), "hello".startswith("he"), "hello".endswith("lo"))
print("abc".title(), "ABC".isupper(), "abc".isalpha(), "123".isdigit(), " ".isspace())
print("x".center(5, "*"), "x".ljust(3) + "|", "x".rjust(3), "42".zfill(5), "a\tb".expandtabs(4))
print("Hello"[1:4], "Hello"[::-1], "Hello"[-1], len("héllo"), "ab" * 3, "%s" % "pct")
print("a-b-c".partition("-"), "a-b-c".rpartition("-"), "line1\nline2".splitlines())
print(ord("A"), chr(66), "é".encode("utf-8"), str(b"x", "ascii"), "CamelCase".swapcase())
