# Automatic collections also call the callbacks.
import gc
gc.collect()
gens = []
gc.callbacks.append(lambda p, i: gens.append(i["generation"]) if p == "stop" else None)
gc.set_threshold(20)

class A:
    pass

keep = [A() for _ in range(100)]
gc.callbacks.clear()
print(len(gens) > 0, min(gens))
