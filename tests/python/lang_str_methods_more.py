# More string operations used in formatting reports.
rows = [("apples", 3, 1.5), ("kiwis", 12, 0.25), ("melon", 1, 3.0)]
print(f"{'item':<8}{'qty':>5}{'price':>8}")
for name, qty, price in rows:
    print(f"{name:<8}{qty:>5}{price:>8.2f}")
total = sum(q * p for _, q, p in rows)
print(f"{'total':<8}{total:>13.2f}")
print("-" * 21)
print("|".join(s.capitalize() for s in ["a", "bb", "ccc"]))
print("x=%-4s|y=%4s|" % ("l", "r"), "%.0f%%" % 99.5)
