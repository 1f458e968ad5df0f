// Integer pixel boxes in parent coordinates, as afw's Box2I: inclusive minimum and
// maximum corners; an empty box has width or height 0.

export interface Point2I {
  readonly x: number;
  readonly y: number;
}

export class Box2I {
  readonly minX: number;
  readonly minY: number;
  readonly width: number;
  readonly height: number;

  constructor(minX: number, minY: number, width: number, height: number) {
    for (const [name, v] of [['minX', minX], ['minY', minY], ['width', width], ['height', height]] as const) {
      if (!Number.isInteger(v)) throw new Error(`Box2I: ${name} must be an integer, got ${v}`);
    }
    if (width < 0 || height < 0) throw new Error(`Box2I: negative size ${width}×${height}`);
    // An empty box keeps no meaningful origin, so normalise it (afw does the same).
    const empty = width === 0 || height === 0;
    this.minX = empty ? 0 : minX;
    this.minY = empty ? 0 : minY;
    this.width = empty ? 0 : width;
    this.height = empty ? 0 : height;
  }

  /** Box from inclusive corners (afw `Box2I(minimum, maximum)`). */
  static fromCorners(minX: number, minY: number, maxX: number, maxY: number): Box2I {
    if (maxX < minX || maxY < minY) return Box2I.empty();
    return new Box2I(minX, minY, maxX - minX + 1, maxY - minY + 1);
  }

  static empty(): Box2I {
    return new Box2I(0, 0, 0, 0);
  }

  /**
   * A FITS/IRAF section `[x1:x2,y1:y2]` (1-based, inclusive, either direction) as a 0-based box.
   * A reversed range (x1 > x2) only says the data run backwards on the sky; the box is the same.
   */
  static fromFitsSection(section: string, what = 'section'): Box2I {
    const m = /^\s*\[\s*(-?\d+)\s*:\s*(-?\d+)\s*,\s*(-?\d+)\s*:\s*(-?\d+)\s*\]\s*$/.exec(section);
    if (!m) throw new Error(`${what}: not a FITS section "[x1:x2,y1:y2]": '${section}'`);
    const [x1, x2, y1, y2] = m.slice(1, 5).map(Number);
    return Box2I.fromCorners(Math.min(x1, x2) - 1, Math.min(y1, y2) - 1, Math.max(x1, x2) - 1, Math.max(y1, y2) - 1);
  }

  get maxX(): number {
    return this.minX + this.width - 1;
  }

  get maxY(): number {
    return this.minY + this.height - 1;
  }

  get area(): number {
    return this.width * this.height;
  }

  isEmpty(): boolean {
    return this.width === 0 || this.height === 0;
  }

  contains(x: number, y: number): boolean {
    return x >= this.minX && x <= this.maxX && y >= this.minY && y <= this.maxY;
  }

  containsBox(other: Box2I): boolean {
    if (other.isEmpty()) return true;
    return other.minX >= this.minX && other.maxX <= this.maxX && other.minY >= this.minY && other.maxY <= this.maxY;
  }

  overlaps(other: Box2I): boolean {
    return !this.intersection(other).isEmpty();
  }

  intersection(other: Box2I): Box2I {
    if (this.isEmpty() || other.isEmpty()) return Box2I.empty();
    return Box2I.fromCorners(
      Math.max(this.minX, other.minX),
      Math.max(this.minY, other.minY),
      Math.min(this.maxX, other.maxX),
      Math.min(this.maxY, other.maxY),
    );
  }

  /** Smallest box holding both. */
  union(other: Box2I): Box2I {
    if (this.isEmpty()) return other;
    if (other.isEmpty()) return this;
    return Box2I.fromCorners(
      Math.min(this.minX, other.minX),
      Math.min(this.minY, other.minY),
      Math.max(this.maxX, other.maxX),
      Math.max(this.maxY, other.maxY),
    );
  }

  shifted(dx: number, dy: number): Box2I {
    return this.isEmpty() ? this : new Box2I(this.minX + dx, this.minY + dy, this.width, this.height);
  }

  /** Grows (or with a negative amount shrinks) every side. */
  grown(by: number): Box2I {
    return Box2I.fromCorners(this.minX - by, this.minY - by, this.maxX + by, this.maxY + by);
  }

  equals(other: Box2I): boolean {
    return this.minX === other.minX && this.minY === other.minY && this.width === other.width && this.height === other.height;
  }

  /** 1-based inclusive FITS section, e.g. `[33:1056,1:4612]`. */
  toFitsSection(): string {
    return `[${this.minX + 1}:${this.maxX + 1},${this.minY + 1}:${this.maxY + 1}]`;
  }

  toJSON(): { minX: number; minY: number; width: number; height: number } {
    return { minX: this.minX, minY: this.minY, width: this.width, height: this.height };
  }

  toString(): string {
    return `Box2I(minimum=(${this.minX}, ${this.minY}), maximum=(${this.maxX}, ${this.maxY}))`;
  }
}
