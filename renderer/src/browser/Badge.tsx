// Collection type badge (RUN / TAGGED / CHAINED / CALIBRATION), coloured by type.
import type { CollectionType } from '../../../core/api/sections/values.js';

export function TypeBadge({ type }: { type: CollectionType }) {
  return <span className={`type-badge type-${type.toLowerCase()}`}>{type}</span>;
}
