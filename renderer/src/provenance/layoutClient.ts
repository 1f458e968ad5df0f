// Runs layouts in the layout worker (one per window, started on first use) and caches results per
// graph (node ids + edges), so toggling back to a view already laid out is instant.
import type { LayoutEdgeInput, LayoutNodeInput, LayoutResult } from './layout.js';
import type { LayoutReply, LayoutRequest } from './layout.worker.js';

let worker: Worker | null = null;
let nextId = 1;
const pending = new Map<number, { resolve(r: LayoutResult): void; reject(e: Error): void }>();
const cache = new Map<string, LayoutResult>();
const CACHE_SIZE = 20;

function getWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./layout.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (ev: MessageEvent<LayoutReply>) => {
      const p = pending.get(ev.data.id);
      pending.delete(ev.data.id);
      if (!p) return;
      if (ev.data.ok) p.resolve(ev.data.result);
      else p.reject(new Error(`graph layout failed: ${ev.data.message}`));
    };
    worker.onerror = (ev) => {
      for (const p of pending.values()) p.reject(new Error(`graph layout worker failed: ${ev.message}`));
      pending.clear();
      worker = null;
    };
  }
  return worker;
}

function key(nodes: readonly LayoutNodeInput[], edges: readonly LayoutEdgeInput[], engine: string): string {
  return `${engine}|${nodes.map((n) => `${n.id}:${n.width}x${n.height}`).join(',')}|${edges.map((e) => `${e.source}>${e.target}`).join(',')}`;
}

export function layoutGraph(nodes: LayoutNodeInput[], edges: LayoutEdgeInput[], engine: LayoutRequest['engine'] = 'auto'): Promise<LayoutResult> {
  const k = key(nodes, edges, engine);
  const hit = cache.get(k);
  if (hit) return Promise.resolve(hit);
  const id = nextId++;
  return new Promise<LayoutResult>((resolve, reject) => {
    pending.set(id, {
      resolve: (r) => {
        cache.set(k, r);
        if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        resolve(r);
      },
      reject,
    });
    getWorker().postMessage({ id, nodes, edges, engine } satisfies LayoutRequest);
  });
}
