// daf_butler's Timespan: a half-open [begin, end) interval of TAI nanoseconds.
// Unbounded ends are stored as 0 and 2100-01-01 TAI; every empty timespan is
// normalised to (max, min) so that it equals itself, as in daf_butler.
import { formatTime } from './format.js';
import { MAX_TAI_NS, MIN_TAI_NS } from './scales.js';

export class Timespan {
  private constructor(
    /** Inclusive begin, TAI ns (MIN_TAI_NS when unbounded). */
    readonly begin: bigint,
    /** Exclusive end, TAI ns (MAX_TAI_NS when unbounded). */
    readonly end: bigint,
  ) {}

  /**
   * A timespan from optional bounds (null = unbounded). If begin == end the end is
   * padded by 1 ns (daf_butler's padInstantaneous) unless `padInstantaneous` is false.
   */
  static of(begin: bigint | null, end: bigint | null, padInstantaneous = true): Timespan {
    const b = begin ?? MIN_TAI_NS;
    let e = end ?? MAX_TAI_NS;
    for (const [name, value] of [['begin', b], ['end', e]] as const) {
      if (value < MIN_TAI_NS || value > MAX_TAI_NS) {
        throw new RangeError(`Timespan ${name} ${value} ns is outside daf_butler's range [0, ${MAX_TAI_NS}] (1970-01-01 to 2100-01-01 TAI)`);
      }
    }
    if (b === e) {
      if (b === MAX_TAI_NS || e === MIN_TAI_NS) throw new RangeError('Infinite instantaneous timespans are not supported.');
      if (padInstantaneous) e += 1n;
    }
    return Timespan.fromColumns(b, e);
  }

  /** From the stored column pair (begin, end), exactly as read from the registry. */
  static fromColumns(begin: bigint | number, end: bigint | number): Timespan {
    const b = BigInt(begin);
    const e = BigInt(end);
    return b >= e ? Timespan.EMPTY : new Timespan(b, e);
  }

  static readonly EMPTY: Timespan = new Timespan(MAX_TAI_NS, MIN_TAI_NS);
  static readonly UNBOUNDED: Timespan = new Timespan(MIN_TAI_NS, MAX_TAI_NS);

  isEmpty(): boolean {
    return this.begin >= this.end;
  }

  /** True unless begin is the unbounded sentinel. */
  hasBegin(): boolean {
    return !this.isEmpty() && this.begin !== MIN_TAI_NS;
  }

  hasEnd(): boolean {
    return !this.isEmpty() && this.end !== MAX_TAI_NS;
  }

  /** Any instant in common; the empty timespan overlaps nothing, not even itself. */
  overlaps(other: Timespan | bigint): boolean {
    if (typeof other === 'bigint') return this.contains(other);
    if (this.isEmpty() || other.isEmpty()) return false;
    return this.begin < other.end && other.begin < this.end;
  }

  /** Contains an instant, or a whole timespan (the empty timespan is contained by all). */
  contains(other: Timespan | bigint): boolean {
    if (typeof other === 'bigint') return this.begin <= other && other < this.end;
    if (other.isEmpty()) return true;
    return this.begin <= other.begin && other.end <= this.end;
  }

  equals(other: Timespan): boolean {
    return this.begin === other.begin && this.end === other.end;
  }

  intersection(other: Timespan): Timespan {
    return Timespan.fromColumns(this.begin > other.begin ? this.begin : other.begin, this.end < other.end ? this.end : other.end);
  }

  /** "[2020-01-01T00:00:37, 2020-01-02T00:00:37)" in TAI (or UTC), "(-∞, …)" for unbounded, "(empty)". */
  toString(scale: 'tai' | 'utc' = 'tai'): string {
    if (this.isEmpty()) return '(empty)';
    const head = this.hasBegin() ? `[${formatTime(this.begin, { scale, precision: 0 })}, ` : '(-∞, ';
    const tail = this.hasEnd() ? `${formatTime(this.end, { scale, precision: 0 })})` : '∞)';
    return head + tail;
  }
}
