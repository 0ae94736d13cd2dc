# assert with and without a message.
try:
    assert 1 == 2, "one is not two"
except AssertionError as e:
    print("AssertionError:", e)
try:
    assert False
except AssertionError as e:
    print("empty:", repr(str(e)))
assert len([]) == 1, "list not empty"
