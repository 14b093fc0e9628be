import { DeviceAuthorizationError, MemoryTokenStorage, oidc } from 'nest-dance';
import {
  LocalAuthorizationServer,
  LocalAuthorizationServerOptions,
} from 'nest-dance/testing';
import { DanceApp, startDanceApp } from '../support/dance-app';

/** The device authorization grant (RFC 8628, issue 14) against LocalAuthorizationServer. */
describe('Device authorization grant (RFC 8628)', () => {
  let server: LocalAuthorizationServer | undefined;
  let app: DanceApp | undefined;

  afterEach(async () => {
    await app?.close();
    await server?.stop();
    app = undefined;
    server = undefined;
  });

  async function start(options: LocalAuthorizationServerOptions = {}) {
    server = await LocalAuthorizationServer.start({
      devicePollInterval: 1,
      ...options,
    });
    app = await startDanceApp(server, {
      storage: MemoryTokenStorage,
      blueprints: [
        oidc({
          name: 'local',
          issuer: server.issuer,
          clientId: server.clientId,
          clientSecret: server.clientSecret,
          scope: ['openid', 'profile', 'offline_access'],
        }),
      ],
    });
    return app.blueprint();
  }

  const polls = async () => (await server!.stats()).tokenRequests.device_code;
  const aliceToken = () =>
    app!.storage.get({ provider: 'local', userId: 'alice' });

  it('start gives the user code and where to enter it; approved, the token is stored for the owner', async () => {
    const blueprint = await start();
    const started = await blueprint.startDeviceAuthorization({
      userId: 'alice',
    });
    expect(started).toMatchObject({
      user_code: expect.any(String),
      verification_uri: `${server!.issuer}/device`,
      verification_uri_complete: expect.stringContaining('user_code='),
      expires_in: expect.any(Number),
      interval: 1,
    });
    // The device code is a secret of the app: not in what it shows or logs.
    expect(JSON.stringify(started)).not.toMatch(/device_code/);
    const done = started.complete();
    // Two polls while the user has not approved yet (authorization_pending).
    await new Promise((resolve) => setTimeout(resolve, 2500));
    expect(await aliceToken()).toBeNull();
    await server!.approveDevice(started.user_code, { user: 'alice' });
    const token = await done;
    expect(token).toMatchObject({
      access_token: expect.any(String),
      refresh_token: expect.any(String),
      expires_at: expect.any(Number),
    });
    // openid was asked for: the ID token came, validated like every other (no nonce here).
    expect(token.id_token).toEqual(expect.any(String));
    expect((await aliceToken())?.access_token).toBe(token.access_token);
    expect(await polls()).toBeGreaterThanOrEqual(3);
    expect((await server!.stats()).deviceAuthorizations).toBe(1);
  });

  it('slow_down adds 5 s to the interval (RFC 8628 §3.5)', async () => {
    const blueprint = await start();
    const started = await blueprint.startDeviceAuthorization({
      userId: 'alice',
    });
    await server!.approveDevice(started.user_code, { user: 'alice' });
    await server!.scriptTokenResponse({
      status: 400,
      body: { error: 'slow_down' },
    });
    const before = Date.now();
    await started.complete();
    // 1 s, slow_down, then 1 + 5 s.
    expect(Date.now() - before).toBeGreaterThanOrEqual(6500);
    expect(await polls()).toBe(2);
  }, 20_000);

  it('the user denies: a DeviceAuthorizationError, nothing stored', async () => {
    const blueprint = await start();
    const started = await blueprint.startDeviceAuthorization({
      userId: 'alice',
    });
    await server!.approveDevice(started.user_code, { approve: false });
    const error = await started.complete().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceAuthorizationError);
    expect((error as DeviceAuthorizationError).failure).toBe('denied');
    expect(await aliceToken()).toBeNull();
  });

  it('the device code expires before the user approves: a clear error, nothing stored', async () => {
    const blueprint = await start({ deviceCodeTtl: 3 });
    const started = await blueprint.startDeviceAuthorization({
      userId: 'alice',
    });
    expect(started.expires_in).toBeLessThanOrEqual(3);
    const error = await started.complete().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeviceAuthorizationError);
    expect((error as Error).message).toBe(
      "The device authorization at 'local' ended (expired): the device code expired before the user approved: start a new device authorization.",
    );
    expect(await aliceToken()).toBeNull();
  });

  it('approving an unknown user code is refused by the server (the approval is real)', async () => {
    await start();
    await expect(server!.approveDevice('WXYZ-WXYZ')).rejects.toThrow(
      /no pending device authorization has the user code/,
    );
  });
});
