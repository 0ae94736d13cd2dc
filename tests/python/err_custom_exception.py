# User exception classes, their args and str().
class AppError(Exception):
    pass

class DetailedError(AppError):
    def __init__(self, code):
        super().__init__("code %d" % code)
        self.code = code

try:
    raise DetailedError(42)
except AppError as e:
    print(type(e).__name__, e, e.code, e.args)
raise DetailedError(7)
