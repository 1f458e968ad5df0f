import { describe, expect, it } from 'vitest';
import { Header, parseCard, formatFloat, FitsError } from '../../../core/fits/index.js';

const card = (s: string) => s.padEnd(80);

describe('cards', () => {
  it('parses every value type', () => {
    expect(parseCard(card("OBJECT  = 'M31 ''core'''   / the target"))).toMatchObject({ keyword: 'OBJECT', kind: 'string', value: "M31 'core'", comment: 'the target' });
    expect(parseCard(card('SIMPLE  =                    T'))).toMatchObject({ kind: 'logical', value: true });
    expect(parseCard(card('NAXIS1  =                 2112 / length'))).toMatchObject({ kind: 'integer', value: 2112, comment: 'length' });
    expect(parseCard(card('BIG     = 123456789012345678901'))).toMatchObject({ kind: 'integer', value: 123456789012345678901n });
    expect(parseCard(card('EXPTIME =         1.5D+02'))).toMatchObject({ kind: 'float', value: 150 });
    expect(parseCard(card('ZERO    =                 1.0'))).toMatchObject({ kind: 'float', value: 1 });
    expect(parseCard(card('CPLX    = (1.5, -2E3)'))).toMatchObject({ kind: 'complex', value: { re: 1.5, im: -2000 } });
    expect(parseCard(card('UNDEF   =                      / nothing'))).toMatchObject({ kind: 'undefined', value: null, comment: 'nothing' });
    expect(parseCard(card('HIERARCH ESO DET OUT1 PRSCX = 50 / prescan'))).toMatchObject({ keyword: 'ESO DET OUT1 PRSCX', hierarch: true, value: 50, comment: 'prescan' });
    expect(parseCard(card('COMMENT   some words'))).toMatchObject({ keyword: 'COMMENT', kind: 'commentary', value: '  some words' });
    expect(parseCard(card(''))).toMatchObject({ keyword: '', kind: 'commentary', value: '' });
  });

  it('formats floats with upper-case two-digit exponents', () => {
    expect(formatFloat(1)).toBe('1.0');
    expect(formatFloat(1e-7)).toBe('1.0E-07');
    expect(formatFloat(6.02e23)).toBe('6.02E+23');
    expect(formatFloat(-0.1)).toBe('-0.1');
    expect(() => formatFloat(NaN)).toThrow(FitsError);
  });

  it('rejects an unterminated string with the card number', () => {
    const text = card("A       = 'ok'") + card("B       = 'broken");
    try {
      Header.parse(text, { hdu: 2, offset: 2880 });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(FitsError);
      expect((err as FitsError).card).toBe(2);
      expect((err as FitsError).offset).toBe(2960);
      expect((err as FitsError).message).toContain('HDU 2, card 2');
    }
  });
});

describe('Header', () => {
  it('joins CONTINUE long strings and writes them back identically', () => {
    const text =
      card("LONGSTR = 'This is a long string value that will not fit in one card so it is &'") +
      card("CONTINUE  'continued on the next card&'") +
      card("CONTINUE  ' and finishes here' / with a comment") +
      card('END');
    const h = Header.parse(text);
    expect(h.get('LONGSTR')).toBe('This is a long string value that will not fit in one card so it is continued on the next card and finishes here');
    expect(h.card('LONGSTR')?.comment).toBe('with a comment');
    expect(h.toString().slice(0, 240)).toBe(text.slice(0, 240));
  });

  it('formats a new long string with CONTINUE that parses back to the same value', () => {
    const h = new Header();
    const value = "x'".repeat(60) + ' end';
    h.set('LONGSTR', value, 'a comment');
    const back = Header.parse(h.toString());
    expect(back.get('LONGSTR')).toBe(value);
    expect(back.card('LONGSTR')?.comment).toBe('a comment');
    expect(h.toString().length % 2880).toBe(0);
  });

  it('keeps unmodified cards byte for byte and reformats only what changed', () => {
    const odd = card("ODD     =   'keep'   /   spacing   kept");
    const h = Header.parse(odd + card('NUM     = 1') + card('END'));
    h.set('NUM', 2.5);
    const out = h.toString();
    expect(out.slice(0, 80)).toBe(odd);
    expect(out.slice(80, 160)).toBe(card('NUM     =                  2.5'));
  });

  it('typed getters, insert positions, HIERARCH for long keys, commentary', () => {
    const h = new Header();
    h.set('A', 1).set('C', true).set('B', 'text', 'comment', { after: 'A' });
    h.set('EXPTIME', 30, undefined, { float: true });
    h.set('ESO DET GAIN', 1.9);
    h.addHistory('reduced');
    h.addComment('hello');
    expect(h.cards.map((c) => c.keyword)).toEqual(['A', 'B', 'C', 'EXPTIME', 'ESO DET GAIN', 'HISTORY', 'COMMENT']);
    expect(h.getNumber('A')).toBe(1);
    expect(h.getBoolean('C')).toBe(true);
    expect(h.getString('B')).toBe('text');
    expect(h.card('EXPTIME')?.kind).toBe('float');
    const text = h.toString();
    expect(text).toContain('EXPTIME =                 30.0');
    expect(text).toContain('HIERARCH ESO DET GAIN = 1.9');
    const back = Header.parse(text);
    expect(back.get('ESO DET GAIN')).toBe(1.9);
    expect(back.commentary('HISTORY')).toEqual(['reduced']);
    expect(h.delete('A')).toBe(1);
    expect(h.has('A')).toBe(false);
    expect(() => h.requireInt('B')).toThrow(/B must be an integer/);
    expect(() => h.requireInt('MISSING')).toThrow(/MISSING is missing/);
    h.set('OBSERVER', 'Ångström');
    expect(() => h.toString()).toThrow(/keyword OBSERVER: character U\+00C5 is not printable ASCII/);
  });
});
