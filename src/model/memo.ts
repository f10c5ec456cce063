// Values derived from a binding object (the env, a D1 handle) are computed once per object:
// workerd hands every request of an isolate the same env, and tests give each case its own.
// A WeakMap keyed by the object lets a replaced env (new config in a test) be collected.

/** `make(key)` once per key object; later calls with the same object return the first result. */
export function oncePer<K extends object, V>(make: (key: K) => V): (key: K) => V {
  const cache = new WeakMap<K, V>();
  return (key) => {
    if (cache.has(key)) return cache.get(key) as V;
    const value = make(key);
    cache.set(key, value);
    return value;
  };
}
