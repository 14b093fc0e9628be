import {
  BlueprintOptions,
  TokenEndpointClient,
  TokenEndpointError,
} from 'nest-dance';
import {
  buildCase,
  caseName,
  CLIENT_ID,
  CLIENT_SECRET,
  PRESET_CASES,
  PresetCase,
  STANDARD_TOKEN,
} from './support/preset-cases';
import { RecordedRequest, RecordingServer } from './support/recording-server';

const REDIRECT_URI = 'http://127.0.0.1/cb';
const FORM = 'application/x-www-form-urlencoded';

/** RFC 6749 §2.3.1: both parts form-urlencoded, then base64. */
function basic(id: string, secret: string): string {
  const encode = (value: string) =>
    encodeURIComponent(value).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${encode(id)}:${encode(secret)}`).toString('base64')}`;
}

const server = new RecordingServer();

beforeAll(() => server.start());
afterAll(() => server.close());

/** The case's blueprint with its token endpoints pointed at the local stand-in. */
function localBlueprint(c: PresetCase): BlueprintOptions {
  const blueprint = buildCase(c);
  const name = caseName(c);
  const answer = c.tokenResponse ?? { json: STANDARD_TOKEN };
  server.answer(`/${name}/token`, answer);
  server.answer(`/${name}/refresh`, answer);
  return {
    ...blueprint,
    tokenUrl: server.url(`/${name}/token`),
    refreshUrl:
      blueprint.refreshUrl === false ? false : server.url(`/${name}/refresh`),
  };
}

function expectClientAuthentication(c: PresetCase, request: RecordedRequest) {
  expect(request.method).toBe('POST');
  expect(request.headers['content-type']).toContain(FORM);
  if (c.auth === 'basic') {
    expect(request.headers.authorization).toBe(basic(CLIENT_ID, CLIENT_SECRET));
    expect(request.form).not.toHaveProperty('client_secret');
  } else {
    expect(request.headers.authorization).toBeUndefined();
    expect(request.form.client_id).toBe(CLIENT_ID);
    if (c.auth === 'post')
      expect(request.form.client_secret).toBe(CLIENT_SECRET);
    else expect(request.form).not.toHaveProperty('client_secret');
  }
  for (const [param, value] of Object.entries(c.tokenBody ?? {})) {
    expect(request.form[param]).toBe(value);
  }
  for (const [header, value] of Object.entries(c.tokenHeaders ?? {})) {
    expect(request.headers[header]).toBe(value);
  }
}

describe.each(PRESET_CASES.map((c) => [caseName(c), c] as const))(
  'token requests of %s',
  (name, c) => {
    it('states its PKCE, refresh and API header policy', () => {
      const blueprint = buildCase(c);
      expect(blueprint.name).toBe(name);
      expect(blueprint.pkce).toBe(c.pkce);
      expect(blueprint.refreshUrl !== false).toBe(c.refresh);
      if (c.apiHeaders) expect(blueprint.headers).toEqual(c.apiHeaders);
    });

    it('exchanges a code with the provider’s client authentication and normalizes the answer', async () => {
      const client = new TokenEndpointClient(localBlueprint(c));
      const token = await client.exchangeCode('code', REDIRECT_URI, 'verifier');

      const [request] = server.requestsTo(`/${name}/token`).slice(-1);
      expect(request.form).toMatchObject({
        grant_type: 'authorization_code',
        code: 'code',
        redirect_uri: REDIRECT_URI,
        code_verifier: 'verifier',
      });
      expectClientAuthentication(c, request);
      for (const [param, value] of Object.entries(c.codeBody ?? {})) {
        expect(request.form[param]).toBe(value);
      }

      expect(typeof token.access_token).toBe('string');
      expect(token.access_token.length).toBeGreaterThan(0);
      if (token.expires_in !== undefined) {
        expect(typeof token.expires_in).toBe('number');
      }
      if (token.scope !== undefined && token.scope !== null) {
        expect(token.scope).not.toContain(',');
      }
      expect(token).toMatchObject(
        c.token ?? { access_token: STANDARD_TOKEN.access_token },
      );
      for (const field of c.tokenWithout ?? []) {
        expect(token).not.toHaveProperty(field);
      }
    });

    if (c.refresh) {
      it('refreshes at its refresh endpoint with the same client authentication', async () => {
        const client = new TokenEndpointClient(localBlueprint(c));
        const token = await client.refresh('rt');

        const [request] = server.requestsTo(`/${name}/refresh`).slice(-1);
        expect(request.form).toMatchObject({
          grant_type: 'refresh_token',
          refresh_token: 'rt',
        });
        expect(request.form).not.toHaveProperty('code');
        expectClientAuthentication(c, request);
        for (const param of Object.keys(c.codeBody ?? {})) {
          expect(request.form).not.toHaveProperty(param);
        }
        expect(typeof token.access_token).toBe('string');
      });
    } else {
      it('refuses to refresh with an error that says to connect again', async () => {
        const client = new TokenEndpointClient(localBlueprint(c));
        const before = server.requests.length;
        await expect(
          Promise.resolve().then(() => client.refresh('rt')),
        ).rejects.toThrow(/cannot refresh tokens.*connect again/);
        expect(server.requests.length).toBe(before);
      });
    }
  },
);

describe('token endpoint quirks', () => {
  it('turns Withings’s HTTP 200 `{ status: 503, error }` answer into a rejected token request', async () => {
    const withingsCase = PRESET_CASES.find((c) => c.preset === 'withings')!;
    const blueprint = localBlueprint(withingsCase);
    server.answer(`/${caseName(withingsCase)}/token`, {
      json: { status: 503, error: 'Invalid Params: invalid code' },
    });
    const error = await new TokenEndpointClient(blueprint)
      .exchangeCode('c0de-9f8e7d', REDIRECT_URI)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).failure).toBe('rejected');
  });

  it('turns Slack’s HTTP 200 `ok: false` answer into a rejected token request', async () => {
    const slackCase = PRESET_CASES.find((c) => c.preset === 'slack')!;
    const blueprint = localBlueprint(slackCase);
    server.answer(`/${caseName(slackCase)}/token`, {
      json: { ok: false, error: 'invalid_code' },
    });
    const error = await new TokenEndpointClient(blueprint)
      .exchangeCode('c0de-9f8e7d', REDIRECT_URI)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).code).toBe('invalid_code');
    expect((error as TokenEndpointError).failure).toBe('rejected');
  });

  it('keeps GitHub’s HTTP 200 error answer an error, and never echoes the secret', async () => {
    const githubCase = PRESET_CASES.find((c) => c.preset === 'github')!;
    const blueprint = localBlueprint(githubCase);
    server.answer(`/${caseName(githubCase)}/token`, {
      json: {
        error: 'bad_verification_code',
        error_description: 'The code passed is incorrect or expired.',
      },
    });
    const error = await new TokenEndpointClient(blueprint)
      .exchangeCode('c0de-9f8e7d', REDIRECT_URI)
      .catch((e: unknown) => e);
    expect((error as TokenEndpointError).code).toBe('bad_verification_code');
    expect(String((error as Error).message)).not.toContain(CLIENT_SECRET);
  });

  it('refuses an ID token a preset with an issuer cannot validate (Google), before using it', async () => {
    const googleCase = PRESET_CASES.find((c) => c.preset === 'google')!;
    const blueprint = localBlueprint(googleCase);
    server.answer(`/${caseName(googleCase)}/token`, {
      json: { ...STANDARD_TOKEN, id_token: 'eyJhbGciOiJSUzI1NiJ9.e30.sig' },
    });
    const error = await new TokenEndpointClient(blueprint)
      .exchangeCode('c0de-9f8e7d', REDIRECT_URI)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TokenEndpointError);
    expect((error as TokenEndpointError).failure).toBe('invalid-response');
    expect((error as Error).message).toMatch(/code exchange.*aud/);
  });

  it('leaves out an ID token a preset without an issuer cannot validate (Yahoo)', async () => {
    const yahooCase = PRESET_CASES.find((c) => c.preset === 'yahoo')!;
    const token = await new TokenEndpointClient(localBlueprint(yahooCase))
      .exchangeCode('c0de-9f8e7d', REDIRECT_URI)
      .catch((e: unknown) => e);
    expect(token).toMatchObject({ access_token: expect.any(String) });
    expect(token).not.toHaveProperty('id_token');
  });
});
