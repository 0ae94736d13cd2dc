# f-strings with conversions and format specs.
name = "Ada"
n = 42
pi = 3.14159265
print(f"{name} has {n} items")
print(f"{name!r} {name!s} {n!r}")
print(f"{pi:.2f} {pi:10.3f}| {pi:<10.1f}| {n:5d}| {n:<5d}| {n:^7d}| {n:05d}")
print(f"{n:x} {n:X} {n:o} {n:b} {n:#x} {n:#b} {1234567:,} {1234567:_}")
print(f"{0.5:%} {0.25:.1%} {12345.678:e} {12345.678:.3g} {1e20:g}")
print(f"{'left':<8}|{'right':>8}|{'mid':^9}|{'fill':*^10}")
print(f"{n + 1} {[1, 2][0]} {name.upper()} {n if n > 40 else 0}")
w = 7
print(f"{n:{w}d}|{pi:.{2}f}")
print(f"{n=}", f"{'braces'} {{literal}}")
