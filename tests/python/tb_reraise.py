# A bare raise re-raises the exception being handled, keeping its traceback.
def parse(s):
    return int(s)

try:
    parse("12x")
except ValueError:
    print("handling, then re-raising")
    raise
