# A tab-indented body: the printed line loses its tab, the carets keep their columns.
def f():
	return 1/0
f()
