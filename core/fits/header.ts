// A FITS header: an ordered list of cards with typed access. Parsing joins CONTINUE long strings
// and keeps every card's original image, so writing an unmodified header reproduces it exactly.
import { BLOCK_SIZE } from './layout.js';
import { CARD_LENGTH, COMMENTARY_KEYWORDS, formatCard, parseCard, parseValueField, type Card, type CardKind, type FitsValue } from './card.js';
import { FitsError, type FitsErrorLocation } from './errors.js';

export interface SetOptions {
  /** Write a number as a float even when it is integral (e.g. 1.0, not 1). */
  float?: boolean;
  /** Insert a new card before / after this keyword instead of at the end. */
  before?: string;
  after?: string;
}

export class Header {
  readonly cards: Card[];

  constructor(cards: Card[] = []) {
    this.cards = cards;
  }

  /**
   * Parses header text (a multiple of 80 characters) up to and excluding END.
   * `where` locates errors (its offset is the byte offset of the first card).
   */
  static parse(text: string, where: FitsErrorLocation = {}): Header {
    const cards: Card[] = [];
    const count = Math.floor(text.length / CARD_LENGTH);
    let index = 0;
    while (index < count) {
      const image = text.slice(index * CARD_LENGTH, (index + 1) * CARD_LENGTH);
      const cardWhere = { ...where, card: index + 1, offset: (where.offset ?? 0) + index * CARD_LENGTH };
      if (image.startsWith('END') && image.slice(3).trim() === '') break;
      let card: Card;
      try {
        card = parseCard(image);
      } catch (err) {
        throw err instanceof FitsError ? err.locate(cardWhere) : err;
      }
      index++;
      // Long strings: a value ending in '&' continues on the following CONTINUE cards.
      if (card.kind === 'string') {
        let raw = image;
        let value = card.value as string;
        const comments = card.comment ? [card.comment] : [];
        while (value.endsWith('&') && index < count) {
          const next = text.slice(index * CARD_LENGTH, (index + 1) * CARD_LENGTH);
          if (!next.startsWith('CONTINUE')) break;
          let part;
          try {
            part = parseValueField(next.slice(8));
          } catch (err) {
            throw err instanceof FitsError ? err.locate({ ...where, card: index + 1, offset: (where.offset ?? 0) + index * CARD_LENGTH }) : err;
          }
          if (part.kind !== 'string') break;
          value = value.slice(0, -1) + (part.value as string);
          if (part.comment) comments.push(part.comment);
          raw += next;
          index++;
        }
        if (raw !== image) card = { ...card, value, comment: comments.join(' '), raw };
      }
      cards.push(card);
    }
    return new Header(cards);
  }

  get length(): number {
    return this.cards.length;
  }

  /** Index of the n-th (0-based) card with this keyword, or -1. */
  indexOf(keyword: string, nth = 0): number {
    const key = normalizeKeyword(keyword);
    for (let i = 0; i < this.cards.length; i++) {
      if (this.cards[i].keyword === key && nth-- === 0) return i;
    }
    return -1;
  }

  has(keyword: string): boolean {
    return this.indexOf(keyword) >= 0;
  }

  card(keyword: string): Card | undefined {
    const i = this.indexOf(keyword);
    return i < 0 ? undefined : this.cards[i];
  }

  /** The value of the first card with this keyword; undefined when absent, null when the value is undefined. */
  get(keyword: string): FitsValue | undefined {
    return this.card(keyword)?.value;
  }

  getString(keyword: string): string | undefined {
    const v = this.get(keyword);
    return v === undefined || v === null ? undefined : typeof v === 'string' ? v : String(v);
  }

  /** Numeric value (integers and floats; bigints converted). Undefined when absent or not numeric. */
  getNumber(keyword: string): number | undefined {
    const v = this.get(keyword);
    if (typeof v === 'number') return v;
    if (typeof v === 'bigint') return Number(v);
    return undefined;
  }

  getBoolean(keyword: string): boolean | undefined {
    const v = this.get(keyword);
    return typeof v === 'boolean' ? v : undefined;
  }

  /** An integer keyword that must be present; a clear FitsError otherwise. */
  requireInt(keyword: string, where: FitsErrorLocation = {}): number {
    const i = this.indexOf(keyword);
    if (i < 0) throw new FitsError(`required keyword ${keyword} is missing`, where);
    const v = this.cards[i].value;
    if (typeof v === 'number' && Number.isInteger(v)) return v;
    if (typeof v === 'bigint') return Number(v);
    throw new FitsError(`keyword ${keyword} must be an integer, found ${formatForMessage(this.cards[i])}`, { ...where, card: where.card ?? i + 1 });
  }

  /** Sets the first card with this keyword (keeping its comment unless one is given), or adds a card. */
  set(keyword: string, value: FitsValue, comment?: string, options: SetOptions = {}): this {
    const key = normalizeKeyword(keyword);
    if (COMMENTARY_KEYWORDS.has(key)) throw new FitsError(`use addComment/addHistory/addBlank for ${key || 'blank'} cards`);
    const kind = kindOf(value, options.float ?? false);
    const i = this.indexOf(key);
    if (i >= 0) {
      const old = this.cards[i];
      this.cards[i] = { keyword: key, kind, value, comment: comment ?? old.comment, hierarch: old.hierarch || needsHierarch(key) };
      return this;
    }
    this.insert({ keyword: key, kind, value, comment: comment ?? '', hierarch: needsHierarch(key) }, options);
    return this;
  }

  /** Removes every card with this keyword; returns how many were removed. */
  delete(keyword: string): number {
    const key = normalizeKeyword(keyword);
    let removed = 0;
    for (let i = this.cards.length - 1; i >= 0; i--) {
      if (this.cards[i].keyword === key) {
        this.cards.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  addComment(text: string): this {
    return this.addCommentary('COMMENT', text);
  }

  addHistory(text: string): this {
    return this.addCommentary('HISTORY', text);
  }

  addBlank(text = ''): this {
    return this.addCommentary('', text);
  }

  /** Every COMMENT (or HISTORY) text, in order. */
  commentary(keyword: 'COMMENT' | 'HISTORY' | ''): string[] {
    return this.cards.filter((c) => c.keyword === keyword).map((c) => String(c.value));
  }

  /** Appends a card as is (duplicates allowed), or inserts it before/after a keyword. */
  insert(card: Card, options: { before?: string; after?: string } = {}): this {
    if (options.before !== undefined && this.has(options.before)) this.cards.splice(this.indexOf(options.before), 0, card);
    else if (options.after !== undefined && this.has(options.after)) this.cards.splice(this.indexOf(options.after) + 1, 0, card);
    else this.cards.push(card);
    return this;
  }

  clone(): Header {
    return new Header(this.cards.map((c) => ({ ...c, value: typeof c.value === 'object' && c.value !== null ? { ...c.value } : c.value })));
  }

  /** The card images with END, padded with spaces to a whole number of 2880-byte blocks. */
  toString(): string {
    let text = '';
    for (const card of this.cards) text += formatCard(card);
    text += 'END'.padEnd(CARD_LENGTH);
    const padded = Math.ceil(text.length / BLOCK_SIZE) * BLOCK_SIZE;
    return text.padEnd(padded, ' ');
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(Buffer.from(this.toString(), 'latin1'));
  }

  private addCommentary(keyword: string, text: string): this {
    this.cards.push({ keyword, kind: 'commentary', value: text, comment: '', hierarch: false });
    return this;
  }
}

function normalizeKeyword(keyword: string): string {
  const k = keyword.trim().toUpperCase();
  return k.startsWith('HIERARCH ') ? k.slice(9).trim() : k;
}

/** Keywords longer than 8 characters or with characters outside A-Z 0-9 _ - need the HIERARCH convention. */
function needsHierarch(key: string): boolean {
  return key.length > 8 || !/^[A-Z0-9_-]*$/.test(key);
}

function kindOf(value: FitsValue, float: boolean): CardKind {
  if (value === null) return 'undefined';
  if (typeof value === 'string') return 'string';
  if (typeof value === 'boolean') return 'logical';
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new FitsError(`cannot store ${value} in a header (FITS keywords have no NaN or Infinity)`);
    return !float && Number.isSafeInteger(value) ? 'integer' : 'float';
  }
  return 'complex';
}

function formatForMessage(card: Card): string {
  return card.kind === 'string' ? `'${String(card.value)}'` : card.kind === 'undefined' ? 'no value' : `${String(card.value)} (${card.kind})`;
}
