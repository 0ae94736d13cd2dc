# from MODULE import *: a module's public names (its __all__ when it has one) bound at module
# level; elsewhere a SyntaxError (checked through exec).
from math import *
print(pi, sqrt(16), floor(2.5), 'e' in dir())
from itertools import *
print(list(islice(count(3), 2)))
print(sorted(n for n in dir() if n.startswith('_') and n not in ('__builtins__',
      '__annotations__', '__cached__', '__file__', '__loader__', '__spec__', '__doc__',
      '__name__', '__package__')))
ns = {}
exec('from math import *', ns)
print('tau' in ns, '__name__' in ns, sorted(ns)[:3])
for src in ['def f():\n    from math import *', 'class K:\n    from math import *',
            'from __future__ import braces', 'from __future__ import nonsense',
            'x = 1\nfrom __future__ import annotations']:
    try:
        exec(src)
    except SyntaxError as e:
        print('SyntaxError:', e.msg, e.lineno)
