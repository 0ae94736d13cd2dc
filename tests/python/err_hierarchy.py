# The built-in exception hierarchy.
pairs = [
    (ZeroDivisionError, ArithmeticError), (KeyError, LookupError), (IndexError, LookupError),
    (LookupError, Exception), (TypeError, Exception), (RecursionError, RuntimeError),
    (StopIteration, Exception), (SystemExit, BaseException), (KeyboardInterrupt, Exception),
    (NameError, Exception), (UnboundLocalError, NameError), (AttributeError, Exception),
    (MemoryError, Exception), (NotImplementedError, RuntimeError), (AssertionError, Exception),
    (OverflowError, ArithmeticError), (ValueError, Exception), (Exception, BaseException),
]
for sub, sup in pairs:
    print(sub.__name__, sup.__name__, issubclass(sub, sup))
