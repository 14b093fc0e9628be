import { generateKeyPairSync } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, jwtVerify } from 'jose';
import { AppleClientSecret } from './apple-client-secret.util';

const key = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const privateKey = key.privateKey
  .export({ type: 'pkcs8', format: 'pem' })
  .toString();
const options = {
  clientId: 'com.example.web',
  teamId: 'A1B2C3D4E5',
  keyId: 'KEY1234567',
  privateKey,
};

describe('AppleClientSecret', () => {
  afterEach(() => jest.useRealTimers());

  it('signs an ES256 JWT for Apple that the public key verifies', async () => {
    const jwt = await new AppleClientSecret(options).secret();
    expect(decodeProtectedHeader(jwt)).toEqual({
      alg: 'ES256',
      kid: 'KEY1234567',
    });
    const { payload } = await jwtVerify(jwt, key.publicKey, {
      issuer: 'A1B2C3D4E5',
      subject: 'com.example.web',
      audience: 'https://appleid.apple.com',
    });
    expect(payload.exp! - payload.iat!).toBe(3600);
  });

  it('keeps the secret while valid, one signature for concurrent callers, and renews it before it expires', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-01T12:00:00Z') });
    const maker = new AppleClientSecret({
      ...options,
      lifetimeSeconds: 600,
      renewBeforeSeconds: 60,
    });
    const [a, b] = await Promise.all([maker.secret(), maker.secret()]);
    expect(a).toBe(b);
    jest.setSystemTime(new Date('2026-12-01T12:08:59Z'));
    expect(await maker.secret()).toBe(a);
    jest.setSystemTime(new Date('2026-12-01T12:09:00Z'));
    const renewed = await maker.secret();
    expect(renewed).not.toBe(a);
    expect(decodeJwt(renewed).iat).toBe(
      Date.parse('2026-12-01T12:09:00Z') / 1000,
    );
  });

  it('names what is missing or wrong', () => {
    expect(() => new AppleClientSecret({ ...options, teamId: '' })).toThrow(
      /teamId is required.*Team ID/,
    );
    const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    expect(
      () => new AppleClientSecret({ ...options, privateKey: rsa }),
    ).toThrow(/not a P-256 private key.*\.p8/);
    expect(
      () => new AppleClientSecret({ ...options, lifetimeSeconds: 16_000_000 }),
    ).toThrow(/six months/);
  });
});
