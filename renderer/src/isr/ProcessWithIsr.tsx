// "Process with ISR…" beside a datasets query of raws: opens the ISR run form with the same where
// expression, so the raws the table shows are the ones the quantum graph will take.
import type { DatasetTypeInfo } from '../../../core/api/index.js';
import { useRouteStore } from '../state/stores.js';

export function ProcessWithIsr({ datasetType, where }: { datasetType: DatasetTypeInfo; where: string }) {
  const navigate = useRouteStore((s) => s.navigate);
  const rawLike = datasetType.storageClass === 'Exposure' && ['instrument', 'exposure', 'detector'].every((d) => datasetType.requiredDimensions.includes(d));
  if (!rawLike) return null;
  return (
    <button onClick={() => navigate({ view: 'isr', exposures: [], where })} data-testid="process-with-isr" title="Run ISR on the datasets this query selects">
      Process with ISR…
    </button>
  );
}
