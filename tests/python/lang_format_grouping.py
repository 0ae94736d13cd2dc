# '_' grouping every 4 digits for b/o/x/X formats; ',' refused there with CPython's message.
for spec in ["_b", "_x", "_X", "_o", "#_x", "#_b", "_d", ",d", ">20_x", "_"]:
    print(spec, format(2**40 + 12345, spec), format(-255, spec), format(7, spec))
for spec in [",x", ",b", ",o"]:
    try:
        format(10, spec)
    except ValueError as e:
        print(e)
print(f"{0xdeadbeef:_x}", f"{255:_b}")
