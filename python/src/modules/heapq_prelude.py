# A heap is a list where a[k] <= a[2k+1] and a[k] <= a[2k+2]; a[0] is the smallest.

def _sift_up(heap, pos):
    # Move heap[pos] towards the root while it is smaller than its parent.
    item = heap[pos]
    while pos > 0:
        parent = (pos - 1) >> 1
        if item < heap[parent]:
            heap[pos] = heap[parent]
            pos = parent
        else:
            break
    heap[pos] = item

def _sift_down(heap, pos):
    # Move heap[pos] towards the leaves while a child is smaller.
    n = len(heap)
    item = heap[pos]
    while True:
        child = 2 * pos + 1
        if child >= n:
            break
        if child + 1 < n and heap[child + 1] < heap[child]:
            child += 1
        if heap[child] < item:
            heap[pos] = heap[child]
            pos = child
        else:
            break
    heap[pos] = item

def _check(heap, name):
    if not isinstance(heap, list):
        raise TypeError('%s() argument %smust be list, not %s'
                        % (name, '' if name == 'heapify' else '1 ', type(heap).__name__))

def heappush(heap, item, /):
    _check(heap, 'heappush')
    heap.append(item)
    _sift_up(heap, len(heap) - 1)

def heappop(heap, /):
    _check(heap, 'heappop')
    if not heap:
        raise IndexError('index out of range')
    last = heap.pop()
    if not heap:
        return last
    top = heap[0]
    heap[0] = last
    _sift_down(heap, 0)
    return top

def heapreplace(heap, item, /):
    _check(heap, 'heapreplace')
    if not heap:
        raise IndexError('index out of range')
    top = heap[0]
    heap[0] = item
    _sift_down(heap, 0)
    return top

def heappushpop(heap, item, /):
    _check(heap, 'heappushpop')
    if heap and heap[0] < item:
        item, heap[0] = heap[0], item
        _sift_down(heap, 0)
    return item

def heapify(x, /):
    _check(x, 'heapify')
    for pos in range(len(x) // 2 - 1, -1, -1):
        _sift_down(x, pos)

def nsmallest(n, iterable, key=None):
    return sorted(iterable, key=key)[:max(n, 0)]

def nlargest(n, iterable, key=None):
    return sorted(iterable, key=key, reverse=True)[:max(n, 0)]

def merge(*iterables, key=None, reverse=False):
    # Entries [value-key, order, value, iterator]; order keeps equal keys stable.
    heads = []
    for order, it in enumerate(map(iter, iterables)):
        for value in it:
            k = value if key is None else key(value)
            heads.append([k, order, value, it])
            break
    while heads:
        pick = 0
        for i in range(1, len(heads)):
            a, b = heads[i], heads[pick]
            if (b[0] < a[0]) if reverse else (a[0] < b[0]):
                pick = i
            elif not (a[0] < b[0] or b[0] < a[0]) and a[1] < b[1]:
                pick = i
        entry = heads[pick]
        yield entry[2]
        for value in entry[3]:
            entry[0] = value if key is None else key(value)
            entry[2] = value
            break
        else:
            del heads[pick]
