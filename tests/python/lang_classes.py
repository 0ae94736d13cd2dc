# Classes: __init__, instance and class attributes, methods.
class Dog:
    species = "canis"
    count = 0

    def __init__(self, name):
        self.name = name
        Dog.count += 1

    def speak(self):
        return self.name + " says woof"

a = Dog("rex")
b = Dog("fido")
print(a.speak(), b.speak(), Dog.count, a.species)
a.species = "own"
print(a.species, b.species, Dog.species)
print(type(a).__name__, type(a) is Dog, isinstance(a, Dog), isinstance(a, object))
print(Dog.speak(b))
print(sorted(vars(a)))
print(hasattr(a, "name"), getattr(a, "missing", "dflt"))
setattr(a, "age", 3)
print(a.age)
delattr(a, "age")
print(hasattr(a, "age"))
