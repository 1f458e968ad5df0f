// numpy.random.RandomState (legacy MT19937) for the one use ISR has: randint positions for fringe
// measurement, so our fringe positions are the same as ip_isr's for the same seed.

export class MT19937 {
  private readonly mt = new Uint32Array(624);
  private index = 624;

  /** Seeds like numpy's RandomState(seed) with an integer seed (init_genrand). */
  constructor(seed: number) {
    if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`random seed must be an integer 0..2^32-1, got ${seed}`);
    const mt = this.mt;
    mt[0] = seed >>> 0;
    for (let i = 1; i < 624; i++) {
      const prev = mt[i - 1] ^ (mt[i - 1] >>> 30);
      // 1812433253 * prev + i modulo 2^32, done in 16-bit halves to stay exact.
      mt[i] = ((((prev & 0xffff0000) >>> 16) * 1812433253) << 16) + (prev & 0x0000ffff) * 1812433253 + i;
    }
  }

  private twist(): void {
    const mt = this.mt;
    for (let i = 0; i < 624; i++) {
      const y = (mt[i] & 0x80000000) | (mt[(i + 1) % 624] & 0x7fffffff);
      mt[i] = mt[(i + 397) % 624] ^ (y >>> 1) ^ (y & 1 ? 0x9908b0df : 0);
    }
    this.index = 0;
  }

  nextUint32(): number {
    if (this.index >= 624) this.twist();
    let y = this.mt[this.index++];
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    y ^= y >>> 18;
    return y >>> 0;
  }

  /** RandomState.randint(low, high, size): masked rejection sampling on 32-bit draws. */
  randint(low: number, high: number, size: number): Int32Array {
    if (!(high > low)) throw new Error(`randint: high (${high}) must be greater than low (${low})`);
    const rng = high - 1 - low;
    const out = new Int32Array(size);
    if (rng === 0) return out.fill(low);
    if (rng > 0xffffffff) throw new Error('randint: ranges above 2^32 are not supported');
    let mask = rng;
    mask |= mask >>> 1;
    mask |= mask >>> 2;
    mask |= mask >>> 4;
    mask |= mask >>> 8;
    mask |= mask >>> 16;
    mask >>>= 0;
    for (let i = 0; i < size; i++) {
      let v: number;
      do v = (this.nextUint32() & mask) >>> 0;
      while (v > rng);
      out[i] = low + v;
    }
    return out;
  }
}
