# sys's struct sequences and constants: float_info, int_info, hash_info, version_info,
# byteorder, maxunicode, platform.
import sys

print(sys.float_info)
fi = sys.float_info
print(fi.max, fi.min, fi.epsilon, fi.dig, fi.mant_dig, fi.radix, fi.rounds)
print(fi.max_exp, fi.min_exp, fi.max_10_exp, fi.min_10_exp, len(fi), fi[0] == fi.max)
print(1.0 + fi.epsilon > 1.0, 1.0 + fi.epsilon / 2 == 1.0, fi.max * 2 == float('inf'))
print(type(fi).__name__, type(fi).__module__)
print(sys.int_info)
ii = sys.int_info
print(ii.bits_per_digit, ii.sizeof_digit, ii.default_max_str_digits,
      ii.str_digits_check_threshold, tuple(ii))
print(sys.hash_info)
hi = sys.hash_info
print(hi.modulus == 2**61 - 1, hash(hi.modulus) == 0, hash(float('inf')) == hi.inf,
      hash(-float('inf')) == -hi.inf, hi.width, hi.algorithm)
print(sys.version_info[:2], sys.version_info.major, sys.version_info >= (3, 11))
print(sys.byteorder, sys.maxunicode, hex(sys.maxunicode), chr(sys.maxunicode) == '\U0010ffff')
print(sys.platform, sys.maxsize == 2**63 - 1)
print(sys.float_info is sys.float_info, list(sys.int_info)[0])
