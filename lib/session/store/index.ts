/** This process's session store, as SESSION_STORE says (undefined in cookie mode). Node only. */
import { config } from '../../config';
import { createMemoryStore } from './memory';
import { createRedisStore } from './redis';
import type { SessionStore } from './store';

let store: SessionStore | undefined;

export function sessionStore(): SessionStore | undefined {
  const settings = config().sessionStore;
  if (settings.kind === 'cookie') return undefined;
  store ??= settings.kind === 'memory' ? createMemoryStore() : createRedisStore(settings.url);
  return store;
}
