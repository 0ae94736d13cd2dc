# try / except / else / finally in every combination, and return inside finally.
def f(mode):
    log = []
    try:
        log.append("try")
        if mode == "raise":
            raise ValueError
        if mode == "return":
            return log
    except ValueError:
        log.append("except")
    else:
        log.append("else")
    finally:
        log.append("finally")
    return log

print(f("raise"), f("ok"), f("return"))

def g():
    try:
        return "try"
    finally:
        print("finally before return")

print(g())

def h():
    for i in range(3):
        try:
            if i == 1:
                continue
            if i == 2:
                break
        finally:
            print("finally", i)
h()
