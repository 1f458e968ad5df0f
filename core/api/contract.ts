// The ONE contract between the UI and the application: every method's params and result as zod schemas,
// the events pushed to the UI, and the types inferred from them. Electron IPC and the loopback host both
// serve exactly this, through the dispatcher in ./dispatch.ts.
import { z } from 'zod';
import { appMethods } from './sections/app.js';
import { repositoryMethods } from './sections/repository.js';
import { viewerMethods } from './sections/viewer.js';
// W3: ISR runs and the provenance graph.
import { runEvents, runMethods } from './sections/runs.js';
import { provenanceGraphMethods } from './sections/provenanceGraph.js';
import type { MethodSpec } from './method.js';

export const contract = { ...appMethods, ...repositoryMethods, ...viewerMethods, ...runMethods, ...provenanceGraphMethods } satisfies Record<string, MethodSpec>;

export type Contract = typeof contract;
export type MethodName = keyof Contract;
/** What a caller passes (defaults may be omitted). */
export type Params<M extends MethodName> = z.input<Contract[M]['params']>;
/** What the implementation receives (defaults filled in). */
export type ParsedParams<M extends MethodName> = z.output<Contract[M]['params']>;
export type Result<M extends MethodName> = z.output<Contract[M]['result']>;

export const METHOD_NAMES = Object.keys(contract) as MethodName[];

export function isMethodName(name: unknown): name is MethodName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(contract, name);
}

/** Commands the Electron menus send to the renderer (the renderer offers the same actions in browser mode). */
export const MENU_COMMANDS = ['open', 'close', 'demo', 'find', 'theme.light', 'theme.dark', 'theme.system', 'view.collections', 'view.datasetTypes', 'view.dimensions', 'help.about', 'help.shortcuts'] as const;
export const menuCommandSchema = z.enum(MENU_COMMANDS);
export type MenuCommand = z.infer<typeof menuCommandSchema>;

export const events = {
  'repository.changed': z.object({ path: z.string().nullable() }),
  'menu.command': z.object({ command: menuCommandSchema, path: z.string().optional() }),
  'job.progress': z.object({ jobId: z.string(), done: z.number(), total: z.number(), stage: z.string() }),
  ...runEvents,
} as const;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/** The typed API a UI calls, whatever the transport. */
export type Api = {
  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>>;
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};
