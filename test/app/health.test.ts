import { describe, expect, it } from 'vitest';
import { startApp } from '../../src/app.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/shared/logger.js';
import { connect } from '../../src/store/client.js';
import { bindStore } from '../../src/store/index.js';

describe('/healthz with the database down', () => {
  it('answers 503 "degraded" and names the unreachable database, and bad JSON bodies get a short 400', async () => {
    const dead = connect('postgresql://postgres@127.0.0.1:1/nothing');
    const app = await startApp({
      config: loadConfig({ PORT: '0', NOTIFY_INTERVAL_MS: '3600000' }),
      log: createLogger('silent'),
      opened: { store: bindStore(dead.db), connection: dead },
    });
    try {
      const res = await fetch(`${app.url}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toMatchObject({ status: 'degraded', database: { kind: 'postgresql', reachable: false } });
      const bad = await fetch(`${app.url}/healthz`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"oops' });
      expect(bad.status).toBe(400);
      expect(await bad.text()).not.toMatch(/at .*\.(ts|js)|SyntaxError/);
    } finally {
      await app.stop();
    }
  });
});
