# The built-in exception classes: every one CPython 3.11 has (read through the builtins
# module), their bases, the OSError errno mapping and fields, the Unicode errors' fields and
# messages, NameError/AttributeError/ImportError fields, add_note.
import builtins

names = sorted(n for n in dir(builtins)
               if isinstance(getattr(builtins, n), type) and issubclass(getattr(builtins, n), BaseException))
print(len(names))
for n in names:
    cls = getattr(builtins, n)
    print(n, [b.__name__ for b in cls.__mro__[1:]])
print(IOError is OSError, EnvironmentError is OSError, builtins.len is len)

# OSError(errno, strerror[, filename[, winerror[, filename2]]]) and the subclass it picks.
for args in [(2, 'No such file'), (13, 'denied', 'f.txt'), (1, 'perm', 'a', None, 'b'),
             (17, 'exists'), (32, 'pipe'), (111, 'refused'), (4, 'intr'), (9999, 'other'),
             ('just a message',), (), (1, 2, 3, 4, 5, 6)]:
    e = OSError(*args)
    print(type(e).__name__, e.args, e.errno, e.strerror, e.filename, e.filename2, '|', str(e), '|', repr(e))
print(type(FileNotFoundError(13, 'x')).__name__, isinstance(OSError(2, 'x'), FileNotFoundError))
try:
    raise OSError(21, 'Is a directory', '/tmp')
except IsADirectoryError as e:
    print("caught", type(e).__name__, e)

# Unicode errors raised by codecs and made by hand.
for data in [b'\xff', b'ok\xe2\x82x', b'\xe2x', b'ab\xe2\x82', b'\xc0\x80', b'\xed\xa0\x80', b'\xf4\x90\x80\x80']:
    try:
        data.decode()
    except UnicodeDecodeError as e:
        print(e, '|', e.encoding, e.object, e.start, e.end, e.reason, isinstance(e, ValueError))
for text, enc in [('aλλb', 'ascii'), ('\U0001f600', 'latin-1'), ('é', 'ascii'), ('ü', 'ascii')]:
    try:
        text.encode(enc)
    except UnicodeEncodeError as e:
        print(e, '|', e.start, e.end, repr(e.object), e.args[0])
try:
    b'\x99'.decode('ascii')
except UnicodeError as e:
    print(type(e).__name__, e)
print(UnicodeDecodeError('utf-8', b'abc', 0, 2, 'made up'))
print(UnicodeTranslateError('abc', 1, 2, 'nope'), '|', UnicodeTranslateError('abc', 0, 3, 'r'))

# Fields of NameError, AttributeError and ImportError.
try:
    undefined_name
except NameError as e:
    print(repr(e.name), e.args)
class A:
    pass
try:
    A().missing
except AttributeError as e:
    print(repr(e.name))
try:
    import no_such_module_here
except ImportError as e:
    print(type(e).__name__, repr(e.name), repr(e.msg), e.path)
print(NameError('m', name='q').name, AttributeError('m').name, AttributeError('m', name='n', obj=1).obj)
print(ImportError('m', name='x', path='/p').path, ImportError('a', 'b').msg)

# add_note and __notes__.
e = ValueError('v')
print(hasattr(e, '__notes__'))
e.add_note('one')
e.add_note('two')
print(e.__notes__)
try:
    e.add_note(3)
except TypeError as t:
    print(t)
