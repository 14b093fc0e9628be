import { chooseTokenAuthMethod } from './client-authentication.util';

describe('chooseTokenAuthMethod', () => {
  const base = { name: 'p', clientId: 'c', clientSecret: 's' };
  const discovered = (methods?: string[]) => ({
    ...base,
    serverMetadata: { token_endpoint_auth_methods_supported: methods },
  });

  it('prefers client_secret_basic among the methods the server lists', () => {
    expect(
      chooseTokenAuthMethod(
        discovered(['client_secret_post', 'client_secret_basic']),
      ),
    ).toBe('client_secret_basic');
    expect(chooseTokenAuthMethod(discovered(['client_secret_post']))).toBe(
      'client_secret_post',
    );
  });

  it('takes client_secret_basic when the server lists none (RFC 8414 §2)', () => {
    expect(chooseTokenAuthMethod(discovered(undefined))).toBe(
      'client_secret_basic',
    );
  });

  it('keeps client_secret_post for providers configured by hand', () => {
    expect(chooseTokenAuthMethod(base)).toBe('client_secret_post');
  });

  it('uses private_key_jwt with a key, none without a secret, and what the blueprint names', () => {
    expect(chooseTokenAuthMethod({ ...base, clientPrivateKey: 'pem' })).toBe(
      'private_key_jwt',
    );
    expect(chooseTokenAuthMethod({ name: 'p', clientId: 'c' })).toBe('none');
    expect(
      chooseTokenAuthMethod({ ...base, tokenAuthMethod: 'client_secret_jwt' }),
    ).toBe('client_secret_jwt');
  });

  it('fails with the fix when nothing fits', () => {
    expect(() =>
      chooseTokenAuthMethod(discovered(['private_key_jwt'])),
    ).toThrow(
      /authenticates clients by private_key_jwt.*give clientPrivateKey/,
    );
    expect(() =>
      chooseTokenAuthMethod({ ...base, tokenAuthMethod: 'private_key_jwt' }),
    ).toThrow(/uses private_key_jwt but has no clientPrivateKey/);
  });
});
