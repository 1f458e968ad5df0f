// Sandboxed preload: exposes exactly two functions on window.butlerBridge — invoke one contract method and
// subscribe to one contract event — never ipcRenderer itself. Method and event names are checked here and
// again in main (which also checks the sender).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { isEventName, isMethodName } from '../core/api/contract.js';
import type { Envelope } from '../core/api/envelope.js';

const bridge = {
  platform: process.platform,
  invoke(method: string, params: unknown): Promise<Envelope> {
    if (!isMethodName(method)) return Promise.resolve({ ok: false, error: { code: 'UNKNOWN_METHOD', message: `unknown API method: ${JSON.stringify(method)}` } });
    return ipcRenderer.invoke('api:call', method, params) as Promise<Envelope>;
  },
  subscribe(event: string, listener: (payload: unknown) => void): () => void {
    if (!isEventName(event)) throw new Error(`unknown event: ${event}`);
    const handler = (_e: IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on('api:event', handler);
    return () => ipcRenderer.removeListener('api:event', handler);
  },
};

contextBridge.exposeInMainWorld('butlerBridge', bridge);
