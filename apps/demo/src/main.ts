import { Logger } from '@nestjs/common';
import { loadDemoConfig } from './demo.config';
import { createDemoApp } from './demo.factory';

/** Starts the demo from environment variables (see docs/demo.md). */
async function main(): Promise<void> {
  const demo = await createDemoApp(loadDemoConfig(process.env));
  const url = await demo.listen();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => void demo.close().then(() => process.exit(0)));
  }
  new Logger('Demo').log(`Ready at ${url} (Ctrl+C stops it)`);
  // A parent that forked this process (see demo.process.ts) waits for this message.
  process.send?.({ type: 'ready', url, localIssuer: demo.localIssuer });
}

main().catch((error: Error) => {
  console.error(
    error.name === 'DemoConfigError'
      ? error.message
      : `The demo failed to start: ${error.message}`,
  );
  process.exit(1);
});
