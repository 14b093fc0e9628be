import { definePreset, oneOf } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, pick, toProfile } from './profile.util';

/** The countries Mercado Libre authorizes in, each with its own sign-in host. */
const AUTH_HOSTS = {
  ar: 'auth.mercadolibre.com.ar',
  br: 'auth.mercadolivre.com.br',
  mx: 'auth.mercadolibre.com.mx',
  co: 'auth.mercadolibre.com.co',
  cl: 'auth.mercadolibre.cl',
  uy: 'auth.mercadolibre.com.uy',
  pe: 'auth.mercadolibre.com.pe',
  ve: 'auth.mercadolibre.com.ve',
  ec: 'auth.mercadolibre.com.ec',
} as const;

/**
 * Options of the `mercadolibre` preset.
 * @publicApi
 */
export interface MercadoLibrePresetOptions extends PresetOptions {
  /** The country whose sign-in page the user sees (default `ar`): `ar`, `br`, `mx`, `co`, `cl`, `uy`, `pe`, `ve`, `ec`. */
  country?: keyof typeof AUTH_HOSTS;
}

// Checked 2026-12-01 against https://developers.mercadolibre.com.ar/devsite/authorization-and-token-best-practices: authorization at the country's auth.mercadolibre.* host,
// a form POST to api.mercadolibre.com/oauth/token (client id and secret, code, redirect_uri in the body, not the query); permissions (offline_access, read, write) set on the app; single-use refresh tokens.
/**
 * Mercado Libre / Mercado Livre: credentials from the developers portal (DevCenter → your app); permissions are set on the app; `country` picks the sign-in host.
 * @publicApi
 */
export const mercadolibre = definePreset<MercadoLibrePresetOptions>(
  {
    name: 'mercadolibre',
    title: 'Mercado Libre',
    console:
      "developers.mercadolibre.com (your country's site) → DevCenter → Create an application (app id, secret key, redirect URI, scopes)",
    scopes:
      'none sent: the app enables `offline_access` (refresh tokens), `read` and `write` in the DevCenter.',
    defaultScope: [],
    options: {
      country:
        'sign-in country: `ar` (default), `br`, `mx`, `co`, `cl`, `uy`, `pe`, `ve`, `ec`',
    },
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://developers.mercadolibre.com.ar/devsite/authorization-and-token-best-practices',
      rotating: true,
      notes:
        'Also checked against the Authentication and Authorization page of each country site (developers.mercadolibre.com.mx, developers.mercadolivre.com.br...).',
    },
    notes:
      'Refresh tokens come only when `offline_access` is enabled on the app, and each can be used once: the newest one replaces it.',
  },
  (options) => {
    const country =
      oneOf(
        'mercadolibre',
        'country',
        options.country,
        Object.keys(AUTH_HOSTS) as (keyof typeof AUTH_HOSTS)[],
      ) ?? 'ar';
    return {
      authorizationUrl: `https://${AUTH_HOSTS[country]}/authorization`,
      tokenUrl: 'https://api.mercadolibre.com/oauth/token',
      refreshUrl: 'https://api.mercadolibre.com/oauth/token',
      baseUrl: 'https://api.mercadolibre.com/',
      scopeSeparator: ' ',
      pkce: false,
      tokenAuthMethod: 'client_secret_post',
      userInfoUrl: 'https://api.mercadolibre.com/users/me',
      profile: (raw) =>
        toProfile('mercadolibre', raw, {
          id: raw.id,
          name: joined(raw.first_name, raw.last_name) ?? raw.nickname,
          email: raw.email,
          avatarUrl: pick(raw, 'thumbnail.picture_url'),
        }),
    };
  },
);
