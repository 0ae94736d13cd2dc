# assert with a comparison: CPython points at the comparison.
assert 1 == 2, "nope"
