# int(x, base): base by position or keyword, bytes, base 0 prefixes, and CPython's errors.
for a,k in [(('101',),{'base':2}),(('ff',16),{}),((5,),{'base':2}),(('1',),{'x':2}),(('z',),{'base':37}),(('12',),{'base':0}),(('0x1f',0),{}),((b'12',),{}),(('10',2.0),{}), (('0b11',), {'base': 0}), ((b'ff',), {'base': 16}), (('  7  ',), {}), (('1_0',), {'base': 2}), (('9',), {'base': 8}), ((), {'base': 2}), ((2.5,), {}), (('08',), {'base': 0})]:
    try: print(int(*a,**k))
    except Exception as e: print(type(e).__name__, e)
try: int(x='5')
except Exception as e: print(type(e).__name__, e)
try: int('5', 10, 3)
except Exception as e: print(type(e).__name__, e)
try: int('5', 10, base=3)
except Exception as e: print(type(e).__name__, e)
