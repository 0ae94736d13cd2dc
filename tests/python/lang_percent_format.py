# printf-style formatting.
print("%d items" % 5)
print("%s and %r" % ("str", "repr"))
print("%5d|%-5d|%05d" % (42, 42, 42))
print("%.3f %10.2f %e %g" % (3.14159, 2.5, 12345.678, 0.0001))
print("%x %X %o %c %%" % (255, 255, 8, 65))
print("%(name)s is %(age)d" % {"name": "Bo", "age": 7})
print("%s" % (1, ), "%s" % [1, 2], "%+d %+d" % (3, -3))
