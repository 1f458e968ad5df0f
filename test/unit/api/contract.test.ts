// The contract and its dispatcher: every method validated both ways, envelopes that keep error codes,
// the client that unwraps them, and junk params never reaching an implementation.
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { contract, METHOD_NAMES, events, EVENT_NAMES, isMethodName, type MethodName } from '../../../core/api/contract.js';
import { createDispatcher, type Handlers } from '../../../core/api/dispatch.js';
import { ApiError, querySyntaxPosition } from '../../../core/api/errors.js';
import { createApi, type Transport } from '../../../core/api/client.js';
import { binaryUrl, isRouteName } from '../../../core/api/binary.js';
import { classifyCoreError } from '../../../electron/services/errors.js';
import type { Envelope } from '../../../core/api/envelope.js';

describe('contract', () => {
  it('declares params, result and a doc line for every method, and a schema for every event', () => {
    expect(METHOD_NAMES.length).toBeGreaterThan(15);
    for (const name of METHOD_NAMES) {
      const spec = contract[name];
      expect(spec.params, name).toBeInstanceOf(z.ZodType);
      expect(spec.result, name).toBeInstanceOf(z.ZodType);
      expect(spec.doc.length, name).toBeGreaterThan(10);
    }
    for (const e of EVENT_NAMES) expect(events[e]).toBeInstanceOf(z.ZodType);
    expect(isMethodName('datasets.query')).toBe(true);
    expect(isMethodName('__proto__')).toBe(false);
    expect(isMethodName('toString')).toBe(false);
  });

  it('fills defaults for datasets.query and rejects bad paging', () => {
    const parsed = contract['datasets.query'].params.parse({ datasetType: 'raw', collections: ['a'] });
    expect(parsed).toEqual({ datasetType: 'raw', collections: ['a'], where: '', bind: {}, findFirst: false, orderBy: [], limit: 200, offset: 0 });
    expect(contract['datasets.query'].params.safeParse({ datasetType: 'raw', collections: ['a'], limit: 0 }).success).toBe(false);
    expect(contract['datasets.query'].params.safeParse({ datasetType: 'raw', collections: ['a'], limit: 10_001 }).success).toBe(false);
    expect(contract['datasets.query'].params.safeParse({ datasetType: 'raw', collections: [] }).success).toBe(false);
    expect(contract['datasets.query'].params.safeParse({ datasetType: 'raw', collections: ['a'], orderBy: ['exposure; DROP TABLE'] }).success).toBe(false);
    expect(contract['datasets.query'].params.safeParse({ datasetType: 'raw', collections: ['a'], extra: 1 }).success).toBe(false);
  });
});

describe('dispatcher', () => {
  const info = { path: '/r', name: 'r', readOnly: true, universe: { namespace: 'daf_butler', version: 7 }, managers: {}, collectionCount: 1, datasetTypeCount: 2 };
  const handlers: Partial<Handlers> = {
    'repo.open': ({ path }) => ({ ...info, path }),
    'repo.recent': () => ['/a', '/b'],
    'datasets.count': ({ where }) => {
      if (where === 'boom') throw new Error('disk on fire');
      if (where.startsWith('bad')) {
        const err = new Error(`syntax error at column 5 in ${where}`) as Error & { column: number; expression: string };
        err.name = 'UserExpressionSyntaxError';
        err.column = 5;
        err.expression = where;
        throw err;
      }
      if (where === 'missing') {
        const err = new Error("Collection 'x' not found");
        err.name = 'MissingCollectionError';
        throw err;
      }
      if (where === 'api') throw new ApiError('NO_REPOSITORY', 'nothing open', { hint: 'open one' });
      return { count: where.length };
    },
    // Breaks the contract on purpose: count must be an integer.
    'collections.counts': () => ({ a: 1.5 }),
  };
  const dispatch = createDispatcher(handlers, { classify: classifyCoreError });

  it('answers with ok envelopes and validated values', async () => {
    expect(await dispatch('repo.recent', {})).toEqual({ ok: true, value: ['/a', '/b'] });
    expect(await dispatch('repo.open', { path: '/x' })).toEqual({ ok: true, value: { ...info, path: '/x' } });
    expect(await dispatch('datasets.count', { datasetType: 't', collections: ['c'], where: 'abc' })).toEqual({ ok: true, value: { count: 3 } });
  });

  it('names the method and field of bad params', async () => {
    const env = await dispatch('repo.open', { path: 42 });
    expect(env.ok).toBe(false);
    if (env.ok) return;
    expect(env.error.code).toBe('BAD_PARAMS');
    expect(env.error.message).toContain('repo.open');
    expect(env.error.message).toContain('path');
    expect(env.error.details?.issues).toEqual([{ path: ['path'], message: expect.any(String) }]);
  });

  it('rejects unknown methods, including prototype names', async () => {
    for (const m of ['nope', '__proto__', 'constructor', 42, null]) {
      const env = await dispatch(m, {});
      expect(env).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
    expect(await dispatch('datasets.get', { id: '00000000-0000-0000-0000-000000000000' })).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD', message: expect.stringContaining('not served here') } });
  });

  it('keeps codes and details of errors: ApiError, classified core errors, and unexpected ones', async () => {
    const base = { datasetType: 't', collections: ['c'] };
    expect(await dispatch('datasets.count', { ...base, where: 'api' })).toEqual({ ok: false, error: { code: 'NO_REPOSITORY', message: 'nothing open', details: { hint: 'open one' } } });
    expect(await dispatch('datasets.count', { ...base, where: 'bad x' })).toEqual({
      ok: false,
      error: { code: 'QUERY_SYNTAX', message: 'syntax error at column 5 in bad x', details: { column: 5, expression: 'bad x' } },
    });
    expect(await dispatch('datasets.count', { ...base, where: 'missing' })).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } });
    expect(await dispatch('datasets.count', { ...base, where: 'boom' })).toEqual({ ok: false, error: { code: 'INTERNAL', message: 'disk on fire' } });
  });

  it('catches an implementation that breaks the contract', async () => {
    const env = await dispatch('collections.counts', { names: ['a'] });
    expect(env).toMatchObject({ ok: false, error: { code: 'INTERNAL', message: expect.stringContaining('broke the contract') } });
  });

  it('never lets junk params reach an implementation', async () => {
    const called: string[] = [];
    const spy = new Proxy({} as Partial<Handlers>, {
      get: (_t, name: string) => () => {
        called.push(name);
        return null;
      },
    });
    const d = createDispatcher(spy);
    const junk: unknown[] = [42, 'x', [1, 2], { limit: -1 }, { id: '../../etc/passwd' }, { path: 7 }, { names: 'a' }, { element: {} }, { datasetType: '', collections: [''] }, { __proto__: { polluted: true } }];
    for (const name of METHOD_NAMES) {
      for (const params of junk) {
        const env = await d(name, params);
        // Methods whose params are all optional accept an empty object; everything else must be refused.
        if (env.ok) continue;
        expect(env.error.code, `${name} ${JSON.stringify(params)}`).toMatch(/BAD_PARAMS|INTERNAL/);
      }
    }
    const strictMethods: MethodName[] = ['datasets.get', 'datasets.query', 'repo.open', 'dimensions.records', 'datasets.header', 'provenance.get'];
    for (const m of strictMethods) expect(called.filter((c) => c === m), m).toEqual([]);
  });

  it('envelopes survive JSON (the WebSocket transport) unchanged', async () => {
    const envs = [await dispatch('repo.recent', {}), await dispatch('datasets.count', { datasetType: 't', collections: ['c'], where: 'bad y' })];
    for (const e of envs) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
  });
});

describe('client', () => {
  const transport = (answers: Record<string, Envelope>): Transport & { events: Map<string, (p: unknown) => void> } => {
    const events = new Map<string, (p: unknown) => void>();
    return {
      events,
      invoke: async (method) => answers[method] ?? { ok: false, error: { code: 'UNKNOWN_METHOD', message: method } },
      subscribe: (event, l) => {
        events.set(event, l);
        return () => events.delete(event);
      },
    };
  };

  it('unwraps values and rethrows errors as ApiError with code and details', async () => {
    const t = transport({
      'repo.recent': { ok: true, value: ['/x'] },
      'datasets.count': { ok: false, error: { code: 'QUERY_SYNTAX', message: 'bad', details: { column: 3, expression: 'a =' } } },
    });
    const api = createApi(t);
    await expect(api.call('repo.recent', {})).resolves.toEqual(['/x']);
    const err = await api.call('datasets.count', { datasetType: 't', collections: ['c'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe('QUERY_SYNTAX');
    expect(querySyntaxPosition(err as ApiError)).toEqual({ column: 3, expression: 'a =' });
  });

  it('subscribes to contract events only and unsubscribes', () => {
    const t = transport({});
    const api = createApi(t);
    const got: unknown[] = [];
    const off = api.on('repository.changed', (p) => got.push(p));
    t.events.get('repository.changed')?.({ path: '/r' });
    expect(got).toEqual([{ path: '/r' }]);
    off();
    expect(t.events.has('repository.changed')).toBe(false);
    expect(() => api.on('nope' as 'repository.changed', () => undefined)).toThrow(ApiError);
  });
});

describe('binary route URLs', () => {
  it('builds app:// URLs in Electron and token-carrying /data URLs in a browser', () => {
    expect(binaryUrl({ electron: true, origin: 'app://bundle', token: null }, 'pixels', { key: 'k', hdu: 1 })).toBe('app://data/pixels?key=k&hdu=1');
    expect(binaryUrl({ electron: false, origin: 'http://127.0.0.1:5000', token: 'T' }, 'artifact', { id: 'a b' })).toBe('http://127.0.0.1:5000/data/artifact?id=a+b&token=T');
  });
  it('refuses route names that could form a path', () => {
    for (const bad of ['', '../x', 'a/b', 'A', '%2e%2e', 'x'.repeat(70), '.hidden']) {
      expect(isRouteName(bad), bad).toBe(false);
      expect(() => binaryUrl({ electron: true, origin: '', token: null }, bad, {})).toThrow(/invalid binary route/);
    }
  });
});
