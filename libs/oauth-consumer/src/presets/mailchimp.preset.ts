import { definePreset } from './preset.util';
import { PresetOptions } from './preset-options.interface';
import { pick, toProfile } from './profile.util';
import { zeroMeansNoExpiry } from './token-response.util';

/**
 * Options of the `mailchimp` preset.
 * @publicApi
 */
export type MailchimpPresetOptions = PresetOptions;

// Checked 2026-12-01 against https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/: login.mailchimp.com/oauth2/authorize, /oauth2/token and
// /oauth2/metadata (the account's data center); no scopes, tokens do not expire, no refresh tokens.
/**
 * Mailchimp (Marketing API): credentials from Mailchimp → Profile → Extras → Registered apps; no scopes.
 * @publicApi
 */
export const mailchimp = definePreset<MailchimpPresetOptions>(
  {
    name: 'mailchimp',
    title: 'Mailchimp',
    console: 'Mailchimp → Profile → Extras → Registered apps',
    scopes: "none: a token gets the account's full API access.",
    defaultScope: [],
    options: {},
    flaskDance: false,
    verification: {
      checkedOn: '2026-12-01',
      page: 'https://mailchimp.com/developer/marketing/guides/access-user-data-oauth-2/',
    },
    notes:
      "Tokens never expire, no refresh. The API root depends on the account's data center: read `api_endpoint` from the metadata (`userInfoUrl`), e.g. `https://us19.api.mailchimp.com/3.0/`.",
  },
  () => ({
    authorizationUrl: 'https://login.mailchimp.com/oauth2/authorize',
    tokenUrl: 'https://login.mailchimp.com/oauth2/token',
    refreshUrl: false,
    scopeSeparator: ' ',
    pkce: false,
    tokenAuthMethod: 'client_secret_post',
    // Mailchimp says `expires_in: 0` for tokens that never expire.
    tokenResponse: zeroMeansNoExpiry,
    userInfoUrl: 'https://login.mailchimp.com/oauth2/metadata',
    profile: (raw) =>
      toProfile('mailchimp', raw, {
        id: raw.user_id ?? pick(raw, 'login.login_id'),
        name: pick(raw, 'login.login_name') ?? raw.accountname,
        email: pick(raw, 'login.login_email') ?? pick(raw, 'login.email'),
        avatarUrl: pick(raw, 'login.avatar'),
      }),
  }),
);
