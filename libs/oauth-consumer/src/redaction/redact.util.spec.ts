import {
  REDACTED,
  isSensitiveKey,
  redact,
  redactError,
  redactText,
  secretStringsOf,
} from './redact.util';

describe('redaction', () => {
  it('knows the sensitive keys in any casing', () => {
    for (const key of [
      'access_token',
      'refreshToken',
      'ID_TOKEN',
      'code',
      'code_verifier',
      'client-secret',
      'clientSecret',
      'password',
      'Authorization',
      'cookie',
      'x-api-key',
      'session_token',
    ]) {
      expect(isSensitiveKey(key)).toBe(true);
    }
    for (const key of [
      'token_type',
      'expires_in',
      'scope',
      'error_code',
      'status',
      'provider',
    ]) {
      expect(isSensitiveKey(key)).toBe(false);
    }
  });

  it('redacts given secrets, form and JSON pairs, auth schemes and JWTs in text', () => {
    const jwt = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl';
    const text =
      `invalid code abc-123-XYZ for client s3cr3t+/= ` +
      `?code=QQQ&state=ok&access_token=AT1 ` +
      `{"refresh_token":"RT\\"1","token_type":"Bearer"} ` +
      `Authorization: Bearer AT-bearer-value, Basic dXNlcjpwYXNz ${jwt} ` +
      `error_code=E42`;
    const out = redactText(text, ['abc-123-XYZ', 's3cr3t+/=']);
    for (const secret of [
      'abc-123-XYZ',
      's3cr3t',
      'QQQ',
      'AT1',
      'RT\\"1',
      'AT-bearer-value',
      'dXNlcjpwYXNz',
      jwt,
    ]) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('state=ok');
    expect(out).toContain('"token_type":"Bearer"');
    expect(out).toContain('error_code=E42');
    expect(out).toContain(REDACTED);
  });

  it("keeps the word 'Token' in prose, and still redacts credentials after it", () => {
    expect(redactText("Token request to 'github' failed (timeout)")).toBe(
      "Token request to 'github' failed (timeout)",
    );
    expect(
      redactText(
        'Authorization: Token gho_16C7e42F292c6912E7710c838347Ae178B4a',
      ),
    ).toBe('Authorization: Token [redacted]');
    expect(redactText('Authorization: Basic dXNlcjpwYXNz')).toBe(
      'Authorization: Basic [redacted]',
    );
  });

  it('redacts URL-encoded forms of given secrets', () => {
    expect(redactText('secret=a%2Fb%2Bc', ['a/b+c'])).not.toContain('a%2Fb');
  });

  it('copies objects with sensitive values redacted at any depth, cycles cut', () => {
    const value: Record<string, unknown> = {
      provider: 'github',
      token: { access_token: 'x' },
      nested: [{ headers: { Authorization: 'Bearer y' }, id_token: 'z' }],
      note: 'refresh_token=abc',
      error: new Error('client_secret=shh'),
    };
    value.self = value;
    expect(redact(value)).toEqual({
      provider: 'github',
      token: REDACTED,
      nested: [{ headers: { Authorization: REDACTED }, id_token: REDACTED }],
      note: `refresh_token=${REDACTED}`,
      error: { name: 'Error', message: `client_secret=${REDACTED}` },
      self: '[circular]',
    });
    expect(value.token).toEqual({ access_token: 'x' });
  });

  it('collects the secret strings of a token, not its type or scope', () => {
    expect(
      secretStringsOf({
        access_token: 'at-1234',
        token_type: 'Bearer',
        scope: 'read write',
        extra: { nested: ['id-5678'] },
      }),
    ).toEqual(['at-1234', 'id-5678']);
  });

  it('copies an error only when it carries a secret, keeping its class', () => {
    class DriverError extends Error {
      parameters = ['at-1234'];
    }
    const clean = new DriverError('connection refused');
    clean.parameters = [];
    expect(redactError(clean, ['at-1234'])).toBe(clean);
    const leaky = new DriverError('duplicate row (at-1234)');
    const safe = redactError(leaky, ['at-1234']);
    expect(safe).not.toBe(leaky);
    expect(safe).toBeInstanceOf(DriverError);
    expect(safe.message).toBe(`duplicate row (${REDACTED})`);
    expect(safe.parameters).toEqual([REDACTED]);
    expect(safe.stack).not.toContain('at-1234');
    expect(leaky.message).toContain('at-1234');
  });
});
