import { freePort } from '../../support/free-port';
import { loadDemoConfig } from '../../../apps/demo/src/demo.config';
import { DemoApp, createDemoApp } from '../../../apps/demo/src/demo.factory';

/** A demo app listening on 127.0.0.1, and its URL. */
export interface RunningDemo {
  demo: DemoApp;
  url: string;
}

/**
 * Starts the demo in this process with exactly `env` (never the developer's own variables),
 * on a free port, silent.
 */
export async function startDemo(
  env: Record<string, string> = {},
): Promise<RunningDemo> {
  const port = await freePort();
  const config = loadDemoConfig({
    PORT: String(port),
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATABASE_URL: 'sqlite::memory:',
    SESSION_SECRET: 'browser-test-session-secret-0123456789',
    ...env,
  });
  const demo = await createDemoApp(config, { logger: false });
  const url = await demo.listen();
  return { demo, url };
}
