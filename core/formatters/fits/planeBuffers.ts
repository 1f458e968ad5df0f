// Pixel buffers handed back by a caller that no longer needs them (an ISR worker evicting one
// detector's masters) and reused by the next whole-plane Exposure read of the same size. A fresh
// 40 MB array is zero-filled and faulted in page by page on first write, which costs more CPU than
// reading the plane itself; reusing one skips that. Only buffers explicitly released are reused,
// so nothing that is still referenced can be overwritten. Per thread (module state).
const MAX_BUFFERS = 12;

const floats = new Map<number, Float32Array[]>();
const ints = new Map<number, Int32Array[]>();
let count = 0;

function put<T extends Float32Array | Int32Array>(pool: Map<number, T[]>, a: T): void {
  // A transferred (detached) or view array is not ours to reuse.
  if (count >= MAX_BUFFERS || a.length === 0 || a.byteOffset !== 0 || a.byteLength !== a.buffer.byteLength) return;
  const list = pool.get(a.length) ?? [];
  if (list.includes(a)) return;
  list.push(a);
  pool.set(a.length, list);
  count++;
}

function take<T extends Float32Array | Int32Array>(pool: Map<number, T[]>, length: number): T | undefined {
  const a = pool.get(length)?.pop();
  if (a) count--;
  return a;
}

/** Gives arrays back for reuse; the caller must hold no other reference to them. */
export function releasePlaneBuffers(...arrays: ReadonlyArray<Float32Array | Int32Array | undefined>): void {
  for (const a of arrays) {
    if (a instanceof Float32Array) put(floats, a);
    else if (a instanceof Int32Array) put(ints, a);
  }
}

export function takeFloat32Buffer(length: number): Float32Array | undefined {
  return take(floats, length);
}

export function takeInt32Buffer(length: number): Int32Array | undefined {
  return take(ints, length);
}

/** Number of arrays waiting for reuse (tests). */
export function pooledPlaneBuffers(): number {
  return count;
}
