"""from __future__ import annotations: annotations kept as their text (ast.unparse's
spelling), never evaluated; the __future__ module's feature records."""
from __future__ import annotations
import __future__

def f(a: Dict[str,int], b: 'quoted', *args: tuple[int, ...], k: int|None = None,
      **kw: Callable[[int],str]) -> list[ 'A' ]:
    pass
print(f.__annotations__)

def g(x: a.b.c, y: Optional[int], z: (int, str), w: 1 + 2 * 3, v: -1, u: (1 + 2) * 3,
      t: List[Tuple[int,int]], s: None, r: ..., q: True) -> f(1, 2):
    pass
for k, v in g.__annotations__.items():
    print(k, repr(v))

x: UndefinedName = 5
y: Also.Undefined
print(__annotations__, x)

class C:
    field: Mapping[str, 'C']
    other: int = 3
    never: evaluated.at.all
print(C.__annotations__, C.other)

print(__future__.annotations, __future__.annotations.getMandatoryRelease())
print(__future__.division.compiler_flag, __future__.all_feature_names[:3])
from __future__ import division
print(annotations, division.getOptionalRelease())
