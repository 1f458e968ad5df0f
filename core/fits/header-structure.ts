// Building HDU headers: the structural keywords in their required order ahead of the caller's
// cards, reusing a caller's card (and its original image) whenever its value is unchanged.
import type { Card, FitsValue } from './card.js';
import { Header } from './header.js';
import type { Scaling } from './pixels.js';

/**
 * Puts `structural` cards first, reusing a source card (with its original image) when its value is
 * unchanged, then every other source card in its original order.
 */
export function withStructure(source: Header, structural: Array<[string, FitsValue, string]>, isStructural: (key: string) => boolean): Header {
  const cards: Card[] = [];
  for (const [keyword, value, comment] of structural) {
    const existing = source.card(keyword);
    if (existing && sameValue(existing.value, value)) cards.push(existing);
    else cards.push(new Header().set(keyword, value, existing?.comment || comment).cards[0]);
  }
  for (const card of source.cards) if (!isStructural(card.keyword)) cards.push(card);
  return new Header(cards);
}

function sameValue(a: FitsValue, b: FitsValue): boolean {
  if (typeof a === 'string' && typeof b === 'string') return a.trimEnd() === b.trimEnd();
  if ((typeof a === 'bigint' || typeof a === 'number') && (typeof b === 'bigint' || typeof b === 'number')) return Number(a) === Number(b);
  return a === b;
}

/** Sets a keyword (in place if present, else after the NAXISn/PCOUNT/GCOUNT block) or deletes it when undefined. */
export function setOrDrop(header: Header, keyword: string, value: number | undefined, float: boolean): void {
  if (value === undefined) {
    header.delete(keyword);
    return;
  }
  const existing = header.card(keyword);
  if (existing && sameValue(existing.value, value)) return;
  if (existing) {
    header.set(keyword, value, undefined, { float: float && !Number.isInteger(value) });
    return;
  }
  let after = 0;
  header.cards.forEach((c, i) => {
    if (/^(SIMPLE|XTENSION|BITPIX|NAXIS\d*|EXTEND|PCOUNT|GCOUNT|TFIELDS|BZERO|BSCALE)$/.test(c.keyword)) after = i + 1;
  });
  const card = new Header().set(keyword, value).cards[0];
  header.cards.splice(after, 0, card);
}

/** The caller's header with the structural cards of an image HDU in front, in the required order. */
export function imageHeader(source: Header, index: number, count: number, scaling: Scaling, axes: number[]): Header {
  const structural: Array<[string, FitsValue, string]> = [];
  if (index === 0) structural.push(['SIMPLE', true, 'conforms to FITS standard']);
  else structural.push(['XTENSION', 'IMAGE', 'Image extension']);
  structural.push(['BITPIX', scaling.bitpix, 'array data type']);
  structural.push(['NAXIS', axes.length, 'number of array dimensions']);
  axes.forEach((n, i) => structural.push([`NAXIS${i + 1}`, n, '']));
  // EXTEND is required with extensions; a caller's EXTEND card is kept either way.
  if (index === 0 && (count > 1 || source.has('EXTEND'))) structural.push(['EXTEND', count > 1 ? true : source.get('EXTEND') ?? true, '']);
  if (index > 0) {
    structural.push(['PCOUNT', 0, 'number of parameters']);
    structural.push(['GCOUNT', 1, 'number of groups']);
  }
  const drop = new Set(['SIMPLE', 'XTENSION', 'BITPIX', 'NAXIS', 'EXTEND', 'PCOUNT', 'GCOUNT', 'GROUPS']);
  const header = withStructure(source, structural, (k) => drop.has(k) || /^NAXIS\d+$/.test(k));
  const scaled = scaling.bzero !== 0 || scaling.bscale !== 1;
  setOrDrop(header, 'BZERO', scaled ? scaling.bzero : undefined, true);
  setOrDrop(header, 'BSCALE', scaled ? scaling.bscale : undefined, true);
  if (scaling.bitpix > 0 && scaling.blank !== undefined) header.set('BLANK', scaling.blank);
  else if (scaling.bitpix < 0) header.delete('BLANK');
  return header;
}
