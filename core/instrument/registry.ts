// Instruments plug in here: a package calls registerInstrument() once, and the rest of the code
// finds instruments by name or by the header of a raw file, without knowing them.
import type { Instrument } from './instrument.js';
import type { HeaderLike, MetadataTranslator } from './translator.js';

const instruments = new Map<string, Instrument>();

export function registerInstrument(instrument: Instrument): void {
  const existing = instruments.get(instrument.name);
  if (existing && existing !== instrument) throw new Error(`an instrument named ${instrument.name} is already registered (${existing.className})`);
  instruments.set(instrument.name, instrument);
}

export function unregisterInstrument(name: string): void {
  instruments.delete(name);
}

export function registeredInstruments(): string[] {
  return [...instruments.keys()].sort();
}

export function getInstrument(name: string): Instrument {
  const found = instruments.get(name) ?? [...instruments.values()].find((i) => i.className === name);
  if (!found) throw new Error(`unknown instrument '${name}' (registered: ${registeredInstruments().join(', ') || 'none'})`);
  return found;
}

/** The translator that understands a header; an error names INSTRUME when none does. */
export function findTranslator(header: HeaderLike, source = 'header'): MetadataTranslator {
  for (const i of instruments.values()) if (i.translator.canTranslate(header)) return i.translator;
  const instrume = header.get('INSTRUME');
  throw new Error(`${source}: no registered instrument translates this header (INSTRUME=${instrume === undefined ? 'absent' : JSON.stringify(instrume)}; registered: ${registeredInstruments().join(', ') || 'none'})`);
}

/** The instrument whose translator understands a header. */
export function instrumentForHeader(header: HeaderLike, source = 'header'): Instrument {
  const t = findTranslator(header, source);
  return getInstrument(t.supportedInstrument);
}
