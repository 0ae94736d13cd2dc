# sys: argv, version_info, recursion limit, maxsize.
import sys
print(len(sys.argv), sys.argv[0].endswith("mod_sys_basics.py"))
print(sys.version_info[:2], sys.version_info.major, sys.version_info >= (3, 7))
print(sys.getrecursionlimit())
print(sys.maxsize == 2 ** 63 - 1)
