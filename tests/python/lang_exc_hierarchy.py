# The built-in exception classes CPython 3.11 has (ExceptionGroup aside) with their bases.

names = ["FutureWarning", "PendingDeprecationWarning", "SyntaxWarning", "ImportWarning", "UnicodeWarning",
         "BytesWarning", "EncodingWarning", "StopAsyncIteration", "PermissionError", "FileExistsError",
         "IsADirectoryError", "NotADirectoryError", "InterruptedError", "TimeoutError", "BlockingIOError",
         "ChildProcessError", "ProcessLookupError", "ConnectionError", "BrokenPipeError",
         "ConnectionAbortedError", "ConnectionRefusedError", "ConnectionResetError", "OSError", "SystemError"]
for n in names:
    c = eval(n)
    print(n, c.__name__, [b.__name__ for b in c.__mro__])
print(IOError is OSError, EnvironmentError is OSError)
try:
    raise BrokenPipeError(32, "Broken pipe")
except ConnectionError as e:
    print(type(e).__name__, e, e.errno)
