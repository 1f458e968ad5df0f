// Datasets of one type in one collection: where box, find-first toggle, total count, virtual table.
import { useCallback, useEffect, useMemo } from 'react';
import { useConnection } from '../api/context.js';
import { useQuery } from '../api/useQuery.js';
import type { Route } from '../state/routes.js';
import { useRouteStore, useSessionStore } from '../state/stores.js';
import type { DatasetRow } from '../../../core/api/sections/repository.js';
import { ErrorBox } from '../components/ErrorBox.js';
import { WhereBox } from './WhereBox.js';
import { DatasetTable } from './DatasetTable.js';
import { sortingToTerms, termsToSorting } from './sorting.js';
import { usePagedRows } from './usePagedRows.js';
import { ProcessWithIsr } from '../isr/ProcessWithIsr.js';

type DatasetsRoute = Extract<Route, { view: 'datasets' }>;

export function DatasetsView({ route }: { route: DatasetsRoute }) {
  const { api } = useConnection();
  const navigate = useRouteStore((s) => s.navigate);
  const generation = useSessionStore((s) => s.generation);
  const base = { datasetType: route.datasetType, collections: [route.collection], where: route.where, findFirst: route.findFirst };
  const count = useQuery('datasets.count', base);
  const types = useQuery('datasetTypes.list', {});
  const inCollection = useQuery('datasetTypes.list', { collections: [route.collection] });
  const datasetType = types.data?.find((t) => t.name === route.datasetType);
  // Required then implied (band, physical_filter, day_obs…): the columns an astronomer reads and sorts by.
  const dimensions = useMemo(() => {
    const required = datasetType?.requiredDimensions ?? [];
    return [...required, ...(datasetType?.dimensions ?? []).filter((d) => !required.includes(d))];
  }, [datasetType]);
  // The count of a big query can take longer than its first page: show the page as soon as it lands.
  const counted = count.loading || count.error ? null : (count.data?.count ?? null);
  const queryKey = JSON.stringify({ ...base, orderBy: route.sort, generation });

  const fetchPage = useCallback(
    async (offset: number, limit: number): Promise<DatasetRow[]> => {
      const { generation: _generation, ...query } = JSON.parse(queryKey) as typeof base & { orderBy: string[]; generation: number };
      const page = await api.call('datasets.query', { ...query, offset, limit });
      return page.rows;
    },
    [api, queryKey],
  );
  const rows = usePagedRows(queryKey, counted, fetchPage);
  const { request } = rows;
  useEffect(() => {
    if (count.loading) request(0, 0);
  }, [count.loading, request]);
  const total = counted ?? rows.firstPageLength ?? 0;

  const update = (patch: Partial<DatasetsRoute>) => navigate({ ...route, ...patch });

  return (
    <section className="datasets-view">
      <header className="view-header">
        <h1>
          <select
            className="type-select"
            aria-label="Dataset type"
            value={route.datasetType}
            onChange={(e) => update({ datasetType: e.target.value, where: route.where, sort: [] })}
          >
            {(inCollection.data ?? [{ name: route.datasetType }]).map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
              </option>
            ))}
          </select>{' '}
          <span className="muted small">
            in{' '}
            <button className="link" onClick={() => navigate({ view: 'collection', collection: route.collection })}>
              {route.collection}
            </button>
          </span>
        </h1>
        {datasetType && (
          <span className="muted small">
            storage class {datasetType.storageClass} · dimensions {datasetType.dimensions.join(', ') || 'none'}
          </span>
        )}
      </header>
      <div className="query-bar">
        <WhereBox value={route.where} error={count.error?.code === 'QUERY_SYNTAX' || count.error?.code === 'QUERY_ERROR' ? count.error : null} onApply={(where) => update({ where })} />
        <label className="toggle" title="Keep only the first dataset found for each data ID, searching the collections (or chain) in order">
          <input type="checkbox" checked={route.findFirst} onChange={(e) => update({ findFirst: e.target.checked })} /> find-first
        </label>
        {/* W3: run ISR on the raws this query describes. */}
        {datasetType && <ProcessWithIsr datasetType={datasetType} where={route.where} />}
        <span className="status" data-testid="datasets-count" role="status">
          {counted !== null ? `${counted.toLocaleString()} dataset${counted === 1 ? '' : 's'}` : count.loading ? 'counting…' : ''}
        </span>
      </div>
      {count.error && count.error.code !== 'QUERY_SYNTAX' && count.error.code !== 'QUERY_ERROR' && <ErrorBox error={count.error} />}
      {rows.error && !count.error && <div className="error-box">{rows.error}</div>}
      {counted === 0 && <p className="muted">No datasets match.</p>}
      {!count.error && total > 0 && (
        <DatasetTable
          dimensions={dimensions}
          total={total}
          rows={rows}
          sorting={termsToSorting(route.sort)}
          onSortingChange={(s) => update({ sort: sortingToTerms(s) })}
          onOpen={(row) => navigate({ view: 'dataset', id: row.id })}
        />
      )}
    </section>
  );
}
