import { BlueprintOptions, oidc } from 'nest-dance';
import { DemoConfig, DemoDatabase } from './demo.config';

/** The blueprint name of the LocalAuthorizationServer. */
export const LOCAL_PROVIDER = 'local';

/**
 * The `local` blueprint: an OpenID Connect provider configured from the LocalAuthorizationServer's
 * discovery document; `offline_access` asks for a refresh token; several accounts per user.
 */
export function localBlueprint(
  issuer: string,
  clientId: string,
  clientSecret: string,
): BlueprintOptions {
  return oidc({
    name: LOCAL_PROVIDER,
    issuer,
    clientId,
    clientSecret,
    scope: ['openid', 'profile', 'email', 'offline_access'],
    // A user may connect several local accounts (keyed by the account's `sub`).
    multipleAccounts: true,
    // "Connect another account" and "Reconnect" sign in at the provider again.
    anotherAccountParams: { prompt: 'login consent' },
  });
}

/** Display titles by blueprint name. */
export function providerTitles(config: DemoConfig): Record<string, string> {
  const titles: Record<string, string> = {
    [LOCAL_PROVIDER]: 'Local authorization server',
  };
  for (const provider of config.providers)
    titles[provider.blueprint.name] = provider.title;
  return titles;
}

/** The database as the page footer names it: kind and place, never credentials. */
export function describeDatabase(database: DemoDatabase, cwd: string): string {
  if (database.type === 'better-sqlite3') {
    if (database.database === ':memory:') return 'SQLite in memory';
    const relative = database.database.startsWith(`${cwd}/`)
      ? `./${database.database.slice(cwd.length + 1)}`
      : database.database;
    return `SQLite (${relative})`;
  }
  const url = new URL(database.url);
  const kind = { postgres: 'PostgreSQL', mysql: 'MySQL', mariadb: 'MariaDB' }[
    database.type
  ];
  return `${kind} (${url.host}${url.pathname})`;
}
