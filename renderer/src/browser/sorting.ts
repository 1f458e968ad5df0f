// Converts between the route's sort terms ("-exposure") and the table's sorting state.
import type { SortingState } from '@tanstack/react-table';

export function termsToSorting(terms: string[]): SortingState {
  return terms.map((t) => (t.startsWith('-') ? { id: t.slice(1), desc: true } : { id: t, desc: false }));
}

export function sortingToTerms(sorting: SortingState): string[] {
  return sorting.map((s) => (s.desc ? `-${s.id}` : s.id));
}
