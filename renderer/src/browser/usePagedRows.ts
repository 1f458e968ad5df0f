// Fetches pages of a server-side table on demand: only the pages covering the visible rows (plus half a
// page ahead), never the whole table. The cache belongs to one query key and is dropped when it changes.
import { useCallback, useRef, useState } from 'react';

export const PAGE_SIZE = 200;

export interface PagedRows<T> {
  get(index: number): T | undefined;
  /** Asks for the pages covering rows [first, last]. */
  request(first: number, last: number): void;
  error: string | null;
  /** Changes whenever a page arrives (drives re-rendering). */
  version: number;
  /** Rows in the first page once it has arrived (shown before the total count is known), else null. */
  firstPageLength: number | null;
}

interface Cache<T> {
  key: string;
  /** The fetcher of the render that created this cache (so a page is never fetched with an older query). */
  fetch: (offset: number, limit: number) => Promise<T[]>;
  pages: Map<number, T[]>;
  inflight: Set<number>;
}

/** `total` may be null while the count is still running: then only the first page is fetched. */
export function usePagedRows<T>(queryKey: string, total: number | null, fetchPage: (offset: number, limit: number) => Promise<T[]>): PagedRows<T> {
  const cache = useRef<Cache<T>>({ key: queryKey, fetch: fetchPage, pages: new Map(), inflight: new Set() });
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<{ key: string; message: string } | null>(null);
  const [firstPage, setFirstPage] = useState<{ key: string; length: number } | null>(null);

  const current = useCallback((): Cache<T> => {
    if (cache.current.key !== queryKey) cache.current = { key: queryKey, fetch: fetchPage, pages: new Map(), inflight: new Set() };
    return cache.current;
  }, [queryKey, fetchPage]);

  const request = useCallback(
    (first: number, last: number) => {
      if (total !== null && total <= 0) return;
      const c = current();
      const lastPage = total === null ? 0 : Math.floor(Math.min(last + PAGE_SIZE / 2, total - 1) / PAGE_SIZE);
      for (let p = Math.floor(Math.max(0, first) / PAGE_SIZE); p <= lastPage; p++) {
        if (c.pages.has(p) || c.inflight.has(p)) continue;
        c.inflight.add(p);
        c
          .fetch(p * PAGE_SIZE, PAGE_SIZE)
          .then((rows) => {
            c.pages.set(p, rows);
            if (cache.current !== c) return;
            setVersion((v) => v + 1);
            if (p === 0) setFirstPage({ key: c.key, length: rows.length });
          })
          .catch((err: unknown) => {
            if (cache.current === c) setError({ key: c.key, message: err instanceof Error ? err.message : String(err) });
          })
          .finally(() => c.inflight.delete(p));
      }
    },
    [total, current],
  );

  const get = useCallback((index: number) => current().pages.get(Math.floor(index / PAGE_SIZE))?.[index % PAGE_SIZE], [current]);
  return {
    get,
    request,
    error: error && error.key === queryKey ? error.message : null,
    version,
    firstPageLength: firstPage && firstPage.key === queryKey ? firstPage.length : null,
  };
}
