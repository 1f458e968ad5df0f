// The datasets table: a column per dimension, run, type and UUID; virtualised rows (only what is on screen
// is in the DOM); pages fetched on demand; sorting done by the server (a header click re-queries).
import { useEffect, useMemo, useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { createColumnHelper, rowSortingFeature, tableFeatures, useTable, type SortingState } from '@tanstack/react-table';
import type { DatasetRow } from '../../../core/api/sections/repository.js';
import type { PagedRows } from './usePagedRows.js';

const ROW_HEIGHT = 26;
/** Column minimums (px) for dimensions whose values are long; others get 64 px. */
const DIMENSION_MIN_WIDTH: Record<string, number> = { instrument: 100, exposure: 90, visit: 90, physical_filter: 100, day_obs: 90, group: 90 };
const features = tableFeatures({ rowSortingFeature });

interface IndexedRow {
  index: number;
  row: DatasetRow;
}

const helper = createColumnHelper<typeof features, IndexedRow>();

/** Header click cycle: ascending → descending → unsorted; shift keeps the other keys (multi-column sort). */
export function nextSorting(sorting: SortingState, id: string, multi: boolean): SortingState {
  const current = sorting.find((s) => s.id === id);
  const others = multi ? sorting.filter((s) => s.id !== id) : [];
  if (!current) return [...others, { id, desc: false }];
  if (!current.desc) return multi ? sorting.map((s) => (s.id === id ? { id, desc: true } : s)) : [{ id, desc: true }];
  return others;
}

export interface DatasetTableProps {
  dimensions: string[];
  total: number;
  rows: PagedRows<DatasetRow>;
  sorting: SortingState;
  onSortingChange: (s: SortingState) => void;
  onOpen: (row: DatasetRow) => void;
}

export function DatasetTable({ dimensions, total, rows, sorting, onSortingChange, onOpen }: DatasetTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  // The virtualizer's functions are meant to be called on every render; nothing here memoises them.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({ count: total, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 15 });
  const items = virtualizer.getVirtualItems();
  const first = items[0]?.index ?? 0;
  const last = items[items.length - 1]?.index ?? 0;
  const { request } = rows;

  // While the scrollbar is dragged, ask only for the rows where it stops: deep pages of a huge query cost
  // real time on the server, and pages merely flown over would queue ahead of the one wanted.
  useEffect(() => {
    const timer = setTimeout(() => request(first, last), first === 0 ? 0 : 80);
    return () => clearTimeout(timer);
  }, [request, first, last, total]);

  const columns = useMemo(
    () =>
      helper.columns([
      ...dimensions.map((d) =>
        helper.accessor((r) => String(r.row.dataId[d] ?? ''), { id: d, header: d }),
      ),
      helper.accessor((r) => r.row.run, { id: 'run', header: 'run' }),
      helper.accessor((r) => r.row.datasetType, { id: 'datasetType', header: 'type', enableSorting: false }),
      helper.accessor((r) => r.row.id, { id: 'id', header: 'UUID', enableSorting: false, cell: (c) => <span className="mono small">{c.getValue()}</span> }),
      ]),
    [dimensions],
  );

  // Only the loaded rows in the visible window go into the table model, never the whole result.
  const windowRows = useMemo(() => {
    const out: IndexedRow[] = [];
    for (const it of items) {
      const row = rows.get(it.index);
      if (row) out.push({ index: it.index, row });
    }
    return out;
    // rows.version changes when a page lands.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [items, rows.version]);

  const table = useTable({
    features,
    columns,
    data: windowRows,
    manualSorting: true,
    state: { sorting },
    getRowId: (r) => String(r.index),
  });

  const byIndex = new Map(table.getRowModel().rows.map((r) => [r.original.index, r]));
  const headers = table.getHeaderGroups()[0]?.headers ?? [];
  // Minimum widths that show typical values whole (a 7-digit exposure, a physical filter); below their sum the
  // table scrolls sideways rather than cutting every value. A cut value keeps its full text as the tooltip.
  const minimums = [...dimensions.map((d) => DIMENSION_MIN_WIDTH[d] ?? 64), 120, 50, 120];
  const template = minimums.map((w, i) => `minmax(${w}px, ${i === dimensions.length || i === dimensions.length + 2 ? 2 : i === dimensions.length + 1 ? 0.7 : 1}fr)`).join(' ');
  const minWidth = minimums.reduce((a, b) => a + b, 0);

  const visibleFirst = items.find((it) => it.end > (virtualizer.scrollOffset ?? 0))?.index ?? first;
  return (
    <div className="dataset-table" role="table" aria-rowcount={total} data-testid="datasets-table">
      <div className="range muted small" role="status" data-testid="visible-range">
        Datasets {total === 0 ? 0 : (visibleFirst + 1).toLocaleString()}–{Math.min(total, last + 1).toLocaleString()} of {total.toLocaleString()}
      </div>
      <div className="thead" role="row" style={{ gridTemplateColumns: template, minWidth }}>
        {headers.map((h) => {
          const sorted = h.column.getIsSorted();
          const canSort = h.column.getCanSort();
          return (
            <div key={h.id} role="columnheader" aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}>
              <button className="header-button" disabled={!canSort} onClick={(e) => onSortingChange(nextSorting(sorting, h.column.id, e.shiftKey))} title={canSort ? 'Sort: ascending, descending, off (shift-click adds a key)' : undefined}>
                <table.FlexRender header={h} />
                {sorted === 'asc' ? ' ▲' : sorted === 'desc' ? ' ▼' : ''}
              </button>
            </div>
          );
        })}
      </div>
      <div className="tbody" ref={scrollRef} style={{ minWidth }}>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((it) => {
            const r = byIndex.get(it.index);
            return (
              <div
                key={it.key}
                role="row"
                aria-rowindex={it.index + 1}
                className={`tr ${it.index % 2 ? 'odd' : ''} ${r ? '' : 'pending'}`}
                style={{ transform: `translateY(${it.start}px)`, height: ROW_HEIGHT, gridTemplateColumns: template }}
                tabIndex={r ? 0 : -1}
                onClick={() => r && onOpen(r.original.row)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && r) onOpen(r.original.row);
                }}
                data-dataset-id={r?.original.row.id}
              >
                {r
                  ? r.getAllCells().map((cell) => (
                      <div key={cell.id} role="cell" title={String(cell.getValue())}>
                        <table.FlexRender cell={cell} />
                      </div>
                    ))
                  : headers.map((h) => (
                      <div key={h.id} role="cell" className="muted">
                        …
                      </div>
                    ))}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
