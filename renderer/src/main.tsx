// Renderer entry: connect to the API (Electron bridge or loopback WebSocket), then mount the app.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect, type Connection } from './api/connection.js';
import { ConnectionContext } from './api/context.js';
import { App } from './App.js';
import { useRouteStore } from './state/stores.js';
import './styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
let connection: Connection | null = null;
let failure: string | null = null;
try {
  connection = connect();
  // The route store parsed the hash when it loaded, before connect() took the token out of it.
  useRouteStore.getState().syncFromLocation();
} catch (err) {
  failure = err instanceof Error ? err.message : String(err);
}

root.render(
  <StrictMode>
    {connection ? (
      <ConnectionContext.Provider value={connection}>
        <App />
      </ConnectionContext.Provider>
    ) : (
      <main className="fatal" role="alert">
        <h1>Butler Desktop</h1>
        <p>{failure}</p>
      </main>
    )}
  </StrictMode>,
);
