// "Provenance graph" button for the dataset inspector: opens the graph view centred on a dataset
// (ancestors and descendants; a raw with no producer still shows what was made from it).
import { useRouteStore } from '../state/stores.js';

export function ProvenanceGraphLink({ id }: { id: string }) {
  const navigate = useRouteStore((s) => s.navigate);
  return (
    <button onClick={() => navigate({ view: 'provenance', dataset: id, run: null })} data-testid="open-provenance-graph" title="Ancestors and descendants as a graph of datasets and quanta">
      Provenance graph
    </button>
  );
}
