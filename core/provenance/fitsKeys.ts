// daf_butler's DatasetProvenance flattened into FITS header cards, as obs_base's FITS formatters
// write them: to_flat_dict(ref, prefix="LSST.BUTLER", sep=" ") with upper-case keys, so the cards
// are HIERARCH `LSST BUTLER ID`, `LSST BUTLER RUN`, `LSST BUTLER DATASETTYPE`,
// `LSST BUTLER DATAID <DIM>` (required dimensions, sorted), `LSST BUTLER QUANTUM`,
// `LSST BUTLER N_INPUTS` and `LSST BUTLER INPUT <N> ID|RUN|DATASETTYPE` (N from 0).
import type { DatasetRef } from '../datasets/index.js';
import type { Header } from '../fits/header.js';

export const PROVENANCE_PREFIX = 'LSST BUTLER';

export interface FlatProvenanceInput {
  id: string;
  run: string;
  datasetType: string;
}

/** The flat provenance dictionary with FITS-style keys (insertion order is the card order). */
export function provenanceCards(ref: DatasetRef, quantumId: string | undefined, inputs: readonly FlatProvenanceInput[]): Array<[string, string | number]> {
  const key = (...parts: Array<string | number>) => `${PROVENANCE_PREFIX} ${parts.join(' ')}`.toUpperCase();
  const cards: Array<[string, string | number]> = [
    [key('id'), ref.id],
    [key('run'), ref.run],
    [key('datasettype'), ref.datasetType.name],
  ];
  const required = ref.dataId.required;
  for (const dim of Object.keys(required).sort()) {
    const v = required[dim];
    if (typeof v === 'string' || typeof v === 'number') cards.push([key('dataid', dim), v]);
  }
  if (quantumId !== undefined) cards.push([key('quantum'), quantumId]);
  cards.push([key('n_inputs'), inputs.length]);
  inputs.forEach((input, i) => {
    cards.push([key('input', i, 'id'), input.id]);
    cards.push([key('input', i, 'run'), input.run]);
    cards.push([key('input', i, 'datasettype'), input.datasetType]);
  });
  return cards;
}

/** Removes earlier provenance cards (a raw's or a re-processed file's) so only this dataset's remain. */
export function stripProvenance(header: Header): void {
  const stale = [...new Set(header.cards.map((c) => c.keyword).filter((k) => k.startsWith(`${PROVENANCE_PREFIX} `)))];
  for (const k of stale) header.delete(k);
}

/** Writes the provenance of `ref` into a header, replacing any provenance it carried. */
export function addProvenanceToHeader(header: Header, ref: DatasetRef, quantumId: string | undefined, inputs: readonly FlatProvenanceInput[]): void {
  stripProvenance(header);
  for (const [k, v] of provenanceCards(ref, quantumId, inputs)) header.set(k, v);
}

/** Provenance cards read back from a header, keyed as daf_butler's to_flat_dict with '.' (lower case). */
export function readProvenance(header: Header): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const { keyword: k } of header.cards) {
    if (!k.startsWith(`${PROVENANCE_PREFIX} `)) continue;
    const v = header.get(k);
    if (typeof v === 'string' || typeof v === 'number') out[k.toLowerCase().split(' ').join('.')] = v;
  }
  return out;
}
