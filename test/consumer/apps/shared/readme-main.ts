// Starts the README's "A first app" exactly as written (copied into src/readme-app.ts by the
// suite) on 127.0.0.1:PORT, and tells the suite that forked it once it listens.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { AppModule } from './readme-app.js';

async function bootstrap(): Promise<void> {
  const app = await NestFactory.create(AppModule, {
    logger: ['error', 'warn'],
  });
  await app.listen(Number(process.env.PORT), '127.0.0.1');
  process.send?.({ ready: true, issuer: 'https://github.com' });
  process.once('SIGTERM', () => {
    void app.close().then(() => process.exit(0));
  });
}

bootstrap().catch((error: Error) => {
  console.error(
    `the README app failed to start: ${error.name}: ${error.message}`,
  );
  process.exit(1);
});
