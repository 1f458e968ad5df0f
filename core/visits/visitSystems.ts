// obs_base's visit systems (VisitSystem enum): how exposures are grouped into visits.

export interface VisitSystemDefinition {
  id: number;
  name: string;
  description: string;
}

export const ONE_TO_ONE: VisitSystemDefinition = { id: 0, name: 'one-to-one', description: 'one visit per science exposure (visit id = exposure id)' };
export const BY_GROUP_METADATA: VisitSystemDefinition = { id: 1, name: 'by-group-metadata', description: 'one visit per exposure group (the group record of each exposure)' };
export const BY_SEQ_START_END: VisitSystemDefinition = { id: 2, name: 'by-seq-start-end', description: 'one visit per seq_start..seq_end sequence' };

export const VISIT_SYSTEMS: readonly VisitSystemDefinition[] = [ONE_TO_ONE, BY_GROUP_METADATA, BY_SEQ_START_END];

export function visitSystemByName(name: string): VisitSystemDefinition {
  const found = VISIT_SYSTEMS.find((v) => v.name === name || String(v.id) === name);
  if (!found) throw new Error(`unknown visit system '${name}' (known: ${VISIT_SYSTEMS.map((v) => v.name).join(', ')})`);
  return found;
}
