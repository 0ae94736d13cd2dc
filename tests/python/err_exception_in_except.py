# except clauses matching by class, tuple, and bare except.
def classify(fn):
    try:
        fn()
    except (KeyError, IndexError) as e:
        return "lookup " + type(e).__name__
    except ArithmeticError:
        return "arith"
    except:
        return "other"
    else:
        return "ok"

print(classify(lambda: [][1]))
print(classify(lambda: {}[1]))
print(classify(lambda: 1 / 0))
print(classify(lambda: int("x")))
print(classify(lambda: 1))
