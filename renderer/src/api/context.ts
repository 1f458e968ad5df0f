// The connection is created once at start-up and reached through this context.
import { createContext, useContext } from 'react';
import type { Connection } from './connection.js';

export const ConnectionContext = createContext<Connection | null>(null);

export function useConnection(): Connection {
  const c = useContext(ConnectionContext);
  if (!c) throw new Error('useConnection outside ConnectionContext');
  return c;
}
