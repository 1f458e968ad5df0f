// The dimension universe: every dimension element, built from daf_butler's dimensions
// configuration (data, never code) in daf_butler's deterministic order.
import type { ElementConfig, FieldSpec, UniverseConfig } from './config.js';
import { parseUniverseConfig } from './config.js';
import { DimensionElement, type ElementDefinition, type ElementKind } from './elements.js';
import { DimensionNameError } from './errors.js';
import { DimensionGroup } from './group.js';
import { pythonJsonDumps } from './pythonJson.js';
import defaultUniverseConfig from './daf_butler_universe_v7.json';

const SKYPIX_KEY: FieldSpec = { name: 'id', type: 'int' };

export class DimensionUniverse {
  readonly version: number;
  readonly namespace: string;
  readonly commonSkyPix: string;
  /** The configuration this universe was built from, as stored in repositories. */
  readonly config: UniverseConfig;
  /** The configuration object exactly as given (key order kept), for writing back. */
  private readonly rawConfig: unknown;
  /** Every element in dependency-first order. */
  readonly elements: readonly DimensionElement[];
  /** Every dimension (elements that can appear in data IDs) in universe order. */
  readonly dimensions: readonly DimensionElement[];
  private readonly byName = new Map<string, DimensionElement>();
  private readonly groupCache = new Map<string, DimensionGroup>();

  private constructor(config: UniverseConfig, rawConfig: unknown) {
    this.config = config;
    this.rawConfig = rawConfig;
    this.version = config.version;
    this.namespace = config.namespace;
    this.commonSkyPix = config.skypix.common;
    this.elements = buildElements(config);
    for (const el of this.elements) this.byName.set(el.name, el);
    this.dimensions = this.elements.filter((e) => e.isDimension);
    resolveDependencies(this.elements, this.byName);
    if (!this.byName.has(this.commonSkyPix)) {
      throw new Error(`Dimension universe ${this.namespace} v${this.version}: common skypix dimension '${this.commonSkyPix}' is not defined by the skypix systems`);
    }
  }

  /** Builds a universe from a parsed configuration object (dimensions.yaml / config:dimensions.json). */
  static fromConfig(value: unknown, source = 'dimension configuration'): DimensionUniverse {
    return new DimensionUniverse(parseUniverseConfig(value, source), value);
  }

  /** Builds a universe from the JSON text a repository stores in butler_attributes. */
  static fromJson(text: string, source = 'config:dimensions.json'): DimensionUniverse {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new Error(`Invalid JSON in ${source}: ${(err as Error).message}`, { cause: err });
    }
    return DimensionUniverse.fromConfig(parsed, source);
  }

  private static defaultInstance: DimensionUniverse | null = null;

  /** daf_butler's universe version 7 (namespace daf_butler), used for new repositories. */
  static default(): DimensionUniverse {
    DimensionUniverse.defaultInstance ??= DimensionUniverse.fromConfig(defaultUniverseConfig, 'daf_butler_universe_v7.json');
    return DimensionUniverse.defaultInstance;
  }

  /** The configuration as Python's json.dumps writes it (what daf_butler stores in config:dimensions.json). */
  toJson(): string {
    return pythonJsonDumps(this.rawConfig);
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  /** An element by name; throws DimensionNameError naming the unknown element. */
  getElement(name: string): DimensionElement {
    const el = this.byName.get(name);
    if (!el) throw new DimensionNameError(`Unknown dimension element '${name}' in universe ${this.namespace} v${this.version}${suggest(name, [...this.byName.keys()])}`);
    return el;
  }

  /** A dimension by name; throws DimensionNameError if unknown or not a dimension. */
  getDimension(name: string): DimensionElement {
    const el = this.byName.get(name);
    if (!el || !el.isDimension) {
      const why = el ? `'${name}' is a dimension element, not a dimension` : `Unknown dimension '${name}'`;
      throw new DimensionNameError(`${why} in universe ${this.namespace} v${this.version}${el ? '' : suggest(name, this.dimensions.filter((d) => d.kind !== 'skypix').map((d) => d.name))}`);
    }
    return el;
  }

  /** Sorts dimension/element names into universe order. */
  sortNames(names: Iterable<string>): string[] {
    return [...new Set(names)].sort((a, b) => this.getElement(a).index - this.getElement(b).index);
  }

  /** The dimension group spanned by these dimension names (expanded with everything they require or imply). */
  group(names: Iterable<string>): DimensionGroup {
    const list = [...names];
    const key = list.join(',');
    let g = this.groupCache.get(key);
    if (!g) {
      g = new DimensionGroup(this, list);
      this.groupCache.set(key, g);
    }
    return g;
  }

  get empty(): DimensionGroup {
    return this.group([]);
  }

  get governors(): DimensionElement[] {
    return this.dimensions.filter((d) => d.isGovernor);
  }

  /** Elements with tables in the database, in universe order. */
  get tableElements(): DimensionElement[] {
    return this.elements.filter((e) => e.hasTable);
  }
}

interface Visitor {
  name: string;
  deps: string[];
  make: (nextIndex: () => number) => DimensionElement[];
}

/** Creates elements in daf_butler's order: rounds of unblocked entities, ties broken lexicographically. */
function buildElements(config: UniverseConfig): DimensionElement[] {
  const spatial = familyOf(config.topology.spatial);
  const temporal = familyOf(config.topology.temporal);
  const visitors: Visitor[] = [];
  for (const [system, spec] of Object.entries(config.skypix)) {
    if (system === 'common' || typeof spec === 'string') continue;
    visitors.push({
      name: system,
      deps: [],
      make: (next) => Array.from({ length: spec.max_level + 1 }, (_, level) => new DimensionElement(skypixDefinition(system, level, next()))),
    });
  }
  for (const [name, el] of Object.entries(config.elements)) {
    visitors.push({
      name,
      deps: [...(el.requires ?? []), ...(el.implies ?? [])],
      make: (next) => [new DimensionElement(elementDefinition(name, el, next(), spatial.get(name) ?? null, temporal.get(name) ?? null))],
    });
  }
  const names = new Set(visitors.map((v) => v.name));
  for (const v of visitors) {
    for (const d of v.deps) {
      if (!names.has(d)) throw new DimensionNameError(`Dimension element '${v.name}' depends on '${d}', which the universe does not define`);
    }
  }
  const todo = new Map(visitors.map((v) => [v.name, v]));
  const out: DimensionElement[] = [];
  let index = 0;
  const next = () => index++;
  while (todo.size > 0) {
    const unblocked = [...todo.values()].filter((v) => !v.deps.some((d) => todo.has(d))).map((v) => v.name).sort();
    if (unblocked.length === 0) throw new Error(`Cycle or unmet dependency among dimension elements: ${[...todo.keys()].join(', ')}`);
    for (const name of unblocked) {
      out.push(...todo.get(name)!.make(next));
      todo.delete(name);
    }
  }
  return out;
}

function familyOf(families: Record<string, string[]>): Map<string, string> {
  const m = new Map<string, string>();
  for (const [family, members] of Object.entries(families)) for (const el of members) m.set(el, family);
  return m;
}

function skypixDefinition(system: string, level: number, index: number): ElementDefinition {
  return {
    name: `${system}${level}`, index, kind: 'skypix', doc: `Level ${level} of the ${system} sky pixelization.`,
    directRequires: [], directImplies: [], keys: [SKYPIX_KEY], metadata: [], viewOf: null, populatedBy: null,
    alwaysJoin: false, spatialFamily: null, temporalFamily: null, skypix: { system, level },
  };
}

function elementDefinition(name: string, el: ElementConfig, index: number, spatialFamily: string | null, temporalFamily: string | null): ElementDefinition {
  const keys = el.keys ?? [];
  const kind: ElementKind = keys.length === 0 ? 'combination' : el.governor ? 'governor' : 'dimension';
  const viewOf = el.storage?.view_of ?? el.storage?.nested?.view_of ?? null;
  return {
    name, index, kind, doc: (el.doc ?? '').trim(), directRequires: el.requires ?? [], directImplies: el.implies ?? [],
    keys, metadata: el.metadata ?? [], viewOf, populatedBy: el.populated_by ?? null, alwaysJoin: el.always_join ?? false,
    spatialFamily, temporalFamily, skypix: null,
  };
}

function resolveDependencies(elements: readonly DimensionElement[], byName: Map<string, DimensionElement>): void {
  // Elements are already dependency-first, so each dependency is resolved before its dependents.
  for (const el of elements) {
    const required = new Set<string>();
    for (const r of el.directRequires) {
      const dep = byName.get(r)!;
      if (!dep.isDimension) throw new DimensionNameError(`Element '${el.name}' requires '${r}', which is not a dimension`);
      for (const d of dep.required) required.add(d);
    }
    if (el.isDimension) required.add(el.name);
    const order = (a: string, b: string) => byName.get(a)!.index - byName.get(b)!.index;
    el.required = [...required].sort(order);
    el.implied = [...el.directImplies].sort(order);
  }
}

function suggest(name: string, known: string[]): string {
  const close = known.filter((k) => editDistance(k, name) <= 2).slice(0, 3);
  return close.length > 0 ? ` (did you mean ${close.map((c) => `'${c}'`).join(' or ')}?)` : '';
}

function editDistance(a: string, b: string): number {
  const dp = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = dp[0];
    dp[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = dp[j];
      dp[j] = Math.min(dp[j] + 1, dp[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return dp[b.length];
}
