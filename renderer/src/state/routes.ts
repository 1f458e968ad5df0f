// Hash routes: every view is a deep link (#/datasets?c=…&t=…&w=…), so a browser-mode URL can be shared
// over an SSH tunnel and the back button works.
export type Route =
  | { view: 'home' }
  | { view: 'collection'; collection: string }
  | { view: 'datasets'; collection: string; datasetType: string; where: string; findFirst: boolean; sort: string[] }
  | { view: 'dataset'; id: string }
  | { view: 'types'; datasetType: string | null }
  | { view: 'dimensions'; element: string | null }
  // W3: ISR run configuration, the run monitor and the provenance graph.
  | { view: 'isr'; exposures: number[]; where: string }
  | { view: 'runs'; runId: string | null }
  | { view: 'provenance'; dataset: string | null; run: string | null };

export function parseRoute(hash: string): Route {
  const text = hash.replace(/^#/, '');
  const [path, query = ''] = text.split('?', 2);
  const q = new URLSearchParams(query);
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  switch (parts[0]) {
    case 'collection':
      return parts[1] ? { view: 'collection', collection: parts.slice(1).join('/') } : { view: 'home' };
    case 'datasets': {
      const collection = q.get('c');
      const datasetType = q.get('t');
      if (!collection || !datasetType) return { view: 'home' };
      return {
        view: 'datasets',
        collection,
        datasetType,
        where: q.get('w') ?? '',
        findFirst: q.get('ff') === '1',
        sort: (q.get('s') ?? '').split(',').filter(Boolean),
      };
    }
    case 'dataset':
      return parts[1] ? { view: 'dataset', id: parts[1] } : { view: 'home' };
    case 'types':
      return { view: 'types', datasetType: parts[1] ?? null };
    case 'dimensions':
      return { view: 'dimensions', element: parts[1] ?? null };
    case 'isr':
      return { view: 'isr', exposures: (q.get('e') ?? '').split(',').filter(Boolean).map(Number).filter(Number.isInteger), where: q.get('w') ?? '' };
    case 'runs':
      return { view: 'runs', runId: parts[1] ?? null };
    case 'provenance':
      return { view: 'provenance', dataset: q.get('d'), run: q.get('r') };
    default:
      return { view: 'home' };
  }
}

export function formatRoute(route: Route): string {
  switch (route.view) {
    case 'home':
      return '#/';
    case 'collection':
      return `#/collection/${route.collection.split('/').map(encodeURIComponent).join('/')}`;
    case 'datasets': {
      const q = new URLSearchParams({ c: route.collection, t: route.datasetType });
      if (route.where) q.set('w', route.where);
      if (route.findFirst) q.set('ff', '1');
      if (route.sort.length) q.set('s', route.sort.join(','));
      return `#/datasets?${q.toString()}`;
    }
    case 'dataset':
      return `#/dataset/${encodeURIComponent(route.id)}`;
    case 'types':
      return route.datasetType ? `#/types/${encodeURIComponent(route.datasetType)}` : '#/types';
    case 'dimensions':
      return route.element ? `#/dimensions/${encodeURIComponent(route.element)}` : '#/dimensions';
    case 'isr':
    {
      const q = new URLSearchParams();
      if (route.exposures.length) q.set('e', route.exposures.join(','));
      if (route.where) q.set('w', route.where);
      return q.size ? `#/isr?${q.toString()}` : '#/isr';
    }
    case 'runs':
      return route.runId ? `#/runs/${encodeURIComponent(route.runId)}` : '#/runs';
    case 'provenance': {
      const q = new URLSearchParams();
      if (route.dataset) q.set('d', route.dataset);
      if (route.run) q.set('r', route.run);
      return `#/provenance?${q.toString()}`;
    }
  }
}
