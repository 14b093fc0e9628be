import { CookieAgent } from '../../support/cookie-agent';

/** Where the dance's authorization redirect goes to be completed (a user at the provider). */
export type CompleteAuthorization = (
  authorizationUrl: string,
) => Promise<string>;

/** The token reads of the consumer app's TokensController. */
export interface TokenReads {
  storage: Record<string, unknown> | null;
  blueprint: Record<string, unknown> | null;
}

/**
 * Runs the whole OAuth dance against a consumer app over HTTP, as `user`: the login redirect,
 * the provider's login and consent, the callback; then reads the token back both ways.
 */
export async function danceAndReadBack(
  appUrl: string,
  issuer: string,
  user: string,
  complete: CompleteAuthorization,
): Promise<{ agent: CookieAgent; tokens: TokenReads }> {
  const agent = new CookieAgent();
  const headers = { 'x-user': user };

  const before = (await agent.json(`${appUrl}/tokens/blueprint`, {
    headers,
  })) as { token: unknown };
  expect(before.token).toBeNull();

  const login = await agent.request(`${appUrl}/login/local?next=/done`, {
    headers,
  });
  expect(login.status).toBe(302);
  const authorizationUrl = login.headers.get('location') ?? '';
  expect(authorizationUrl.startsWith(`${issuer}`)).toBe(true);
  expect(
    new URL(authorizationUrl).searchParams.get('code_challenge_method'),
  ).toBe('S256');

  const callback = await complete(authorizationUrl);
  expect(callback.startsWith(`${appUrl}/login/local/authorized?`)).toBe(true);
  const back = await agent.request(callback, { headers });
  expect(back.status).toBe(302);
  expect(back.headers.get('location')).toMatch(/(^|\/\/[^/]+)\/done$/);

  const storage = (await agent.json(`${appUrl}/tokens/storage`, {
    headers,
  })) as { token: Record<string, unknown> | null };
  const blueprint = (await agent.json(`${appUrl}/tokens/blueprint`, {
    headers,
  })) as { token: Record<string, unknown> | null };
  return {
    agent,
    tokens: { storage: storage.token, blueprint: blueprint.token },
  };
}

/** What every suite checks of the token read back. */
export function expectSameBearerToken(tokens: TokenReads): void {
  expect(tokens.storage).not.toBeNull();
  expect(typeof tokens.storage?.access_token).toBe('string');
  expect((tokens.storage?.access_token as string).length).toBeGreaterThan(10);
  expect(String(tokens.storage?.token_type).toLowerCase()).toBe('bearer');
  expect(typeof tokens.storage?.expires_at).toBe('number');
  expect(tokens.blueprint?.access_token).toBe(tokens.storage?.access_token);
}
