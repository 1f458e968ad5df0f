// Entry of viewer.html: the same connection as the app (Electron bridge or loopback token), then the viewer.
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect, type Connection } from '../api/connection.js';
import { ConnectionContext } from '../api/context.js';
import { StandaloneViewer } from './StandaloneViewer.js';
import '../styles.css';

const root = createRoot(document.getElementById('root') as HTMLElement);
let connection: Connection | null = null;
let failure: string | null = null;
try {
  connection = connect();
} catch (err) {
  failure = err instanceof Error ? err.message : String(err);
}
root.render(
  <StrictMode>
    {connection ? (
      <ConnectionContext.Provider value={connection}>
        <StandaloneViewer />
      </ConnectionContext.Provider>
    ) : (
      <main className="fatal" role="alert"><h1>Image viewer</h1><p>{failure}</p></main>
    )}
  </StrictMode>,
);
