// Starts the README's "A first app" exactly as written (copied into src/readme-app.ts by the
// suite, its own `bootstrap()` included): its `listen(3000)` goes to PORT instead, and the
// suite that forked it hears once it listens. A failing start-up exits with the error printed.
import { Server } from 'node:http';

const listen = Server.prototype.listen;
Server.prototype.listen = function (this: Server, ...args: unknown[]): Server {
  if (args[0] === 3000) args[0] = Number(process.env.PORT);
  this.once('listening', () =>
    process.send?.({ ready: true, issuer: 'https://github.com' }),
  );
  return (listen as (...rest: unknown[]) => Server).apply(this, args);
} as typeof Server.prototype.listen;

process.once('unhandledRejection', (error: Error) => {
  console.error(
    `the README app failed to start: ${error.name}: ${error.message}`,
  );
  process.exit(1);
});

void import('./readme-app.js');
