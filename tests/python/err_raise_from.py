# raise ... from: the cause is kept on __cause__.
try:
    try:
        {}["missing"]
    except KeyError as e:
        raise ValueError("lookup failed") from e
except ValueError as e:
    print(type(e.__cause__).__name__, e.__cause__)
    print(e.__suppress_context__)
raise RuntimeError("outer") from None
