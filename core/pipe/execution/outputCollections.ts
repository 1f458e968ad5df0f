// Output collections the way pipetask sets them up:
//   --output O            a CHAINED collection O = [O/<timestamp> (a new RUN), ...inputs]; a later
//                         run prepends its new RUN to O, so O always finds the newest outputs first;
//   --output-run R        the RUN to write (default O/<timestamp>); alone, a plain RUN;
//   --extend-run          write into the existing RUN (R, or O's first child) instead of a new one;
//                         quanta whose outputs are already there are skipped (resume).
import type { Registry } from '../../registry/index.js';

export interface OutputCollectionOptions {
  /** CHAINED output collection (pipetask --output). */
  output?: string;
  /** RUN to write (pipetask --output-run). */
  outputRun?: string;
  /** Input collections (pipetask --input); may be omitted when --output already exists. */
  inputs?: string[];
  /** Reuse the existing RUN (pipetask --extend-run). */
  extendRun?: boolean;
  /** Clock for the timestamped run name (tests). */
  now?: Date;
}

export interface OutputCollections {
  run: string;
  /** Collections the graph reads from, in search order. */
  inputs: string[];
  /** The chain to (re)define once the run is set up, if --output was given. */
  chain?: { name: string; children: string[] };
  /** Whether the RUN already existed (resume). */
  extending: boolean;
}

/** obs_base's Instrument.makeCollectionTimestamp(): UTC, e.g. 20261122T233200Z. */
export function collectionTimestamp(now = new Date()): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
}

/** Works out the run, inputs and chain; throws, naming the collection, where pipetask would. */
export function planOutputCollections(registry: Registry, o: OutputCollectionOptions): OutputCollections {
  if (!o.output && !o.outputRun) throw new Error('give an output: --output CHAIN (pipetask style, a new timestamped RUN chained with the inputs) or --output-run RUN');
  const exists = (name: string) => registry.queryCollections(name).length > 0;
  let inputs = o.inputs ?? [];
  let previousChain: string[] = [];
  if (o.output && exists(o.output)) {
    const type = registry.getCollectionType(o.output);
    if (type !== 'CHAINED') throw new Error(`output collection '${o.output}' exists and is a ${type} collection, not CHAINED; use --output-run for a plain RUN`);
    previousChain = registry.getCollectionChain(o.output);
    if (inputs.length === 0) inputs = previousChain.filter((c) => !c.startsWith(`${o.output}/`));
  }
  if (inputs.length === 0) throw new Error('no input collections: give --input (the collections holding the raws and calibrations)');
  for (const c of inputs) {
    if (!exists(c)) throw new Error(`input collection '${c}' does not exist`);
  }

  let run: string;
  let extending = false;
  if (o.extendRun) {
    if (o.outputRun) run = o.outputRun;
    else if (o.output && previousChain.length > 0) run = previousChain[0];
    else throw new Error(`--extend-run needs --output-run or an existing --output chain (${o.output ?? 'none given'} has no runs yet)`);
    if (!exists(run)) throw new Error(`--extend-run: run '${run}' does not exist (nothing to resume); drop --extend-run to start it`);
    if (registry.getCollectionType(run) !== 'RUN') throw new Error(`--extend-run: '${run}' is a ${registry.getCollectionType(run)} collection, not a RUN`);
    extending = true;
  } else {
    run = o.outputRun ?? `${o.output}/${collectionTimestamp(o.now)}`;
    if (exists(run)) throw new Error(`output run '${run}' already exists; pass --extend-run to resume it (quanta already done are skipped) or choose another run`);
  }
  if (inputs.includes(run)) throw new Error(`output run '${run}' is also an input collection`);
  let chain: OutputCollections['chain'];
  if (o.output) {
    const children = [run, ...previousChain.filter((c) => c !== run)];
    for (const c of inputs) if (!children.includes(c)) children.push(c);
    chain = { name: o.output, children };
  }
  // With --output, later runs find the earlier outputs through the chain, as pipetask does.
  return { run, inputs, ...(chain ? { chain } : {}), extending };
}

/** Registers the RUN and defines the chain. */
export function applyOutputCollections(registry: Registry, plan: OutputCollections): void {
  registry.transaction(() => {
    registry.registerRun(plan.run);
    if (plan.chain) {
      registry.registerCollection(plan.chain.name, 'CHAINED');
      registry.setCollectionChain(plan.chain.name, plan.chain.children);
    }
  });
}
