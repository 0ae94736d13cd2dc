# A class-level registry with __init_subclass__-free bookkeeping via a base class.
class Plugin:
    registry = []
    def __init__(self, name):
        self.name = name
        Plugin.registry.append(self)
    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"

class Audio(Plugin):
    pass

class Video(Plugin):
    pass

Audio("mp3"); Video("h264"); Audio("ogg")
print(Plugin.registry)
print([p.name for p in Plugin.registry if isinstance(p, Audio)])
