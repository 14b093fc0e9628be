import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { joined, toProfile } from './profile.util';

/**
 * Options of the `mercadopago` preset.
 * @publicApi
 */
export type MercadoPagoPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://www.mercadopago.com.br/developers/en/docs/security/oauth/creation: authorization_code flow: auth.mercadopago.com/authorization with platform_id=mp, POST api.mercadopago.com/oauth/token (client_id,
// client_secret, code, redirect_uri in the body) for the code and refresh_token grants; a refresh returns a new refresh token (rotating); PKCE only when enabled on the application.
/**
 * Mercado Pago (marketplace / on-behalf-of sellers): application from Mercado Pago Developers → Your integrations; no scopes.
 * @publicApi
 */
export const mercadopago = definePreset<MercadoPagoPresetOptions>(
  {
    name: 'mercadopago',
    title: 'Mercado Pago',
    console:
      'Mercado Pago Developers → Your integrations → Create application (client ID, client secret, redirect URL, PKCE setting)',
    scopes:
      'none sent: permissions come from the application type in Your integrations.',
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://www.mercadopago.com.br/developers/en/docs/security/oauth/creation',
      rotating: true,
      notes:
        'Token endpoint per www.mercadopago.com.br/developers/en/reference/authentication/oauth/overview; PKCE per the OAuth introduction ("Configure PKCE").',
    },
    notes:
      'If PKCE is switched on for the application in Your integrations, Mercado Pago requires it: build the blueprint with `pkce: true` then. Mercado Libre has its own preset.',
  },
  () => ({
    authorizationUrl: 'https://auth.mercadopago.com/authorization',
    tokenUrl: 'https://api.mercadopago.com/oauth/token',
    refreshUrl: 'https://api.mercadopago.com/oauth/token',
    baseUrl: 'https://api.mercadopago.com/',
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    authorizationParams: { platform_id: 'mp' },
    userInfoUrl: 'https://api.mercadopago.com/users/me',
    profile: (raw) =>
      toProfile('mercadopago', raw, {
        id: raw.id,
        name: joined(raw.first_name, raw.last_name) ?? raw.nickname,
        email: raw.email,
      }),
  }),
);
