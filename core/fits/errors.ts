// One error type for every FITS problem, carrying where it happened so a user (or a test)
// can find the bad byte: the HDU index, the card number inside that HDU's header, and the
// absolute byte offset in the file.

export interface FitsErrorLocation {
  /** File path, when the data came from a file. */
  file?: string;
  /** Zero-based HDU index (0 = primary). */
  hdu?: number;
  /** One-based card number within the HDU's header. */
  card?: number;
  /** Absolute byte offset in the file (or buffer). */
  offset?: number;
}

export class FitsError extends Error {
  readonly file?: string;
  readonly hdu?: number;
  readonly card?: number;
  readonly offset?: number;
  /** The message without the location prefix. */
  readonly detail: string;

  constructor(detail: string, where: FitsErrorLocation = {}) {
    super(describeLocation(where) + detail);
    this.name = 'FitsError';
    this.detail = detail;
    this.file = where.file;
    this.hdu = where.hdu;
    this.card = where.card;
    this.offset = where.offset;
  }

  /** The same error with more location filled in (keeps what is already known). */
  locate(where: FitsErrorLocation): FitsError {
    return new FitsError(this.detail, {
      file: this.file ?? where.file,
      hdu: this.hdu ?? where.hdu,
      card: this.card ?? where.card,
      offset: this.offset ?? where.offset,
    });
  }
}

function describeLocation(where: FitsErrorLocation): string {
  const parts: string[] = [];
  if (where.file !== undefined) parts.push(where.file);
  if (where.hdu !== undefined) parts.push(`HDU ${where.hdu}`);
  if (where.card !== undefined) parts.push(`card ${where.card}`);
  if (where.offset !== undefined) parts.push(`byte ${where.offset}`);
  return parts.length ? parts.join(', ') + ': ' : '';
}
