// Runs as the UI sees them: summaries and quantum states, kept current by `run.changed` events and
// reattached from runs.list / runs.get whenever the window (re)connects, so closing and reopening
// the window loses nothing (the runs live in the main process).
import { useEffect } from 'react';
import { create } from 'zustand';
import type { Api } from '../../../core/api/contract.js';
import type { RunQuantum, RunSummary } from '../../../core/api/sections/runs.js';
import { useConnection } from '../api/context.js';
import { useSessionStore } from '../state/stores.js';

export interface RunView {
  summary: RunSummary;
  quanta: Record<string, RunQuantum>;
  /** Quantum ids in launch order. */
  order: string[];
}

interface RunsState {
  runs: Record<string, RunView>;
  /** Output dataset ids landed since the browser last refreshed (drives the refresh of open views). */
  landed: number;
  upsert(summary: RunSummary, quanta: RunQuantum[]): void;
}

export const useRunStore = create<RunsState>((set) => ({
  runs: {},
  landed: 0,
  upsert: (summary, quanta) =>
    set((s) => {
      const old = s.runs[summary.runId];
      const q = { ...(old?.quanta ?? {}) };
      const order = [...(old?.order ?? [])];
      let newlyDone = 0;
      for (const x of quanta) {
        if (!q[x.id]) order.push(x.id);
        if (x.state === 'succeeded' && q[x.id]?.state !== 'succeeded') newlyDone++;
        q[x.id] = x;
      }
      return { runs: { ...s.runs, [summary.runId]: { summary, quanta: q, order } }, landed: s.landed + newlyDone };
    }),
}));

async function reattach(api: Api): Promise<void> {
  const list = await api.call('runs.list', {});
  const { upsert } = useRunStore.getState();
  await Promise.all(
    list.map(async (summary) => {
      const detail = await api.call('runs.get', { runId: summary.runId });
      upsert(summary, detail.quanta);
    }),
  );
}

/** Mount once in the app frame: subscribes to run events and reattaches to the runs of the main process. */
export function useRunSync(): void {
  const { api } = useConnection();
  const generation = useSessionStore((s) => s.generation);
  useEffect(() => {
    const off = api.on('run.changed', ({ run, quanta }) => useRunStore.getState().upsert(run, quanta));
    void reattach(api).catch(() => undefined);
    return off;
  }, [api, generation]);

  // Outputs landed: bump the session generation (throttled) so open browser views refetch and show them.
  useEffect(() => {
    let last = 0;
    let timer: number | null = null;
    const unsub = useRunStore.subscribe((s, prev) => {
      if (s.landed === prev.landed) return;
      const fire = () => {
        last = Date.now();
        timer = null;
        useSessionStore.setState((x) => ({ generation: x.generation + 1 }));
      };
      if (timer !== null) return;
      const wait = Math.max(0, 2500 - (Date.now() - last));
      timer = window.setTimeout(fire, wait);
    });
    return () => {
      unsub();
      if (timer !== null) window.clearTimeout(timer);
    };
  }, []);
}
