/**
 * Provider presets: one function per provider returning `BlueprintOptions`, and the
 * `presets` registry that lists them all.
 */
import { adobe } from './adobe.preset';
import { airtable } from './airtable.preset';
import { amazon } from './amazon.preset';
import { apple } from './apple.preset';
import { asana } from './asana.preset';
import { atlassian } from './atlassian.preset';
import { auth0 } from './auth0.preset';
import { authentiq } from './authentiq.preset';
import { azure } from './azure.preset';
import { basecamp } from './basecamp.preset';
import { bitbucket } from './bitbucket.preset';
import { bitly } from './bitly.preset';
import { box } from './box.preset';
import { calendly } from './calendly.preset';
import { canva } from './canva.preset';
import { clickup } from './clickup.preset';
import { cognito } from './cognito.preset';
import { coinbase } from './coinbase.preset';
import { constantcontact } from './constantcontact.preset';
import { dexcom } from './dexcom.preset';
import { digitalocean } from './digitalocean.preset';
import { discord } from './discord.preset';
import { docusign } from './docusign.preset';
import { dropbox } from './dropbox.preset';
import { etsy } from './etsy.preset';
import { facebook } from './facebook.preset';
import { figma } from './figma.preset';
import { fitbit } from './fitbit.preset';
import { forgejo } from './forgejo.preset';
import { gitea } from './gitea.preset';
import { github } from './github.preset';
import { gitlab } from './gitlab.preset';
import { google } from './google.preset';
import { gusto } from './gusto.preset';
import { helpscout } from './helpscout.preset';
import { heroku } from './heroku.preset';
import { hubspot } from './hubspot.preset';
import { instagram } from './instagram.preset';
import { intercom } from './intercom.preset';
import { intuit } from './intuit.preset';
import { jira } from './jira.preset';
import { kakao } from './kakao.preset';
import { keycloak } from './keycloak.preset';
import { kick } from './kick.preset';
import { klaviyo } from './klaviyo.preset';
import { line } from './line.preset';
import { linear } from './linear.preset';
import { linkedin } from './linkedin.preset';
import { mailchimp } from './mailchimp.preset';
import { mastodon } from './mastodon.preset';
import { meetup } from './meetup.preset';
import { mercadolibre } from './mercadolibre.preset';
import { mercadopago } from './mercadopago.preset';
import { miro } from './miro.preset';
import { mollie } from './mollie.preset';
import { monday } from './monday.preset';
import { naver } from './naver.preset';
import { notion } from './notion.preset';
import { nylas } from './nylas.preset';
import { okta } from './okta.preset';
import { onelogin } from './onelogin.preset';
import { orcid } from './orcid.preset';
import { osm } from './osm.preset';
import { osu } from './osu.preset';
import { oura } from './oura.preset';
import { pandadoc } from './pandadoc.preset';
import { patreon } from './patreon.preset';
import { paypal } from './paypal.preset';
import { pingone } from './pingone.preset';
import { pinterest } from './pinterest.preset';
import { pipedrive } from './pipedrive.preset';
import { reddit } from './reddit.preset';
import { sage } from './sage.preset';
import { salesforce } from './salesforce.preset';
import { shopify } from './shopify.preset';
import { slack } from './slack.preset';
import { spotify } from './spotify.preset';
import { strava } from './strava.preset';
import { stripe } from './stripe.preset';
import { threads } from './threads.preset';
import { tiktok } from './tiktok.preset';
import { todoist } from './todoist.preset';
import { tumblr } from './tumblr.preset';
import { twitch } from './twitch.preset';
import { twitter } from './twitter.preset';
import { typeform } from './typeform.preset';
import { vimeo } from './vimeo.preset';
import { vk } from './vk.preset';
import { webex } from './webex.preset';
import { webflow } from './webflow.preset';
import { whoop } from './whoop.preset';
import { withings } from './withings.preset';
import { wordpress } from './wordpress.preset';
import { wrike } from './wrike.preset';
import { xero } from './xero.preset';
import { yahoo } from './yahoo.preset';
import { yandex } from './yandex.preset';
import { zendesk } from './zendesk.preset';
import { zoho } from './zoho.preset';
import { zoom } from './zoom.preset';

export * from './preset-options.interface';
export * from './preset.interface';
export { definePreset, scopeList } from './preset.util';
export type { TokenResponseNormalizer } from './token-response.util';
export * from './adobe.preset';
export * from './airtable.preset';
export * from './amazon.preset';
export * from './apple.preset';
export * from './asana.preset';
export * from './atlassian.preset';
export * from './auth0.preset';
export * from './authentiq.preset';
export * from './azure.preset';
export * from './basecamp.preset';
export * from './bitbucket.preset';
export * from './bitly.preset';
export * from './box.preset';
export * from './calendly.preset';
export * from './canva.preset';
export * from './clickup.preset';
export * from './cognito.preset';
export * from './coinbase.preset';
export * from './constantcontact.preset';
export * from './dexcom.preset';
export * from './digitalocean.preset';
export * from './discord.preset';
export * from './docusign.preset';
export * from './dropbox.preset';
export * from './etsy.preset';
export * from './facebook.preset';
export * from './figma.preset';
export * from './fitbit.preset';
export * from './forgejo.preset';
export * from './gitea.preset';
export * from './github.preset';
export * from './gitlab.preset';
export * from './google.preset';
export * from './gusto.preset';
export * from './helpscout.preset';
export * from './heroku.preset';
export * from './hubspot.preset';
export * from './instagram.preset';
export * from './intercom.preset';
export * from './intuit.preset';
export * from './jira.preset';
export * from './kakao.preset';
export * from './keycloak.preset';
export * from './kick.preset';
export * from './klaviyo.preset';
export * from './line.preset';
export * from './linear.preset';
export * from './linkedin.preset';
export * from './mailchimp.preset';
export * from './mastodon.preset';
export * from './meetup.preset';
export * from './mercadolibre.preset';
export * from './mercadopago.preset';
export * from './miro.preset';
export * from './mollie.preset';
export * from './monday.preset';
export * from './naver.preset';
export * from './notion.preset';
export * from './nylas.preset';
export * from './okta.preset';
export * from './onelogin.preset';
export * from './orcid.preset';
export * from './osm.preset';
export * from './osu.preset';
export * from './oura.preset';
export * from './pandadoc.preset';
export * from './patreon.preset';
export * from './paypal.preset';
export * from './pingone.preset';
export * from './pinterest.preset';
export * from './pipedrive.preset';
export * from './reddit.preset';
export * from './sage.preset';
export * from './salesforce.preset';
export * from './shopify.preset';
export * from './slack.preset';
export * from './spotify.preset';
export * from './strava.preset';
export * from './stripe.preset';
export * from './threads.preset';
export * from './tiktok.preset';
export * from './todoist.preset';
export * from './tumblr.preset';
export * from './twitch.preset';
export * from './twitter.preset';
export * from './typeform.preset';
export * from './vimeo.preset';
export * from './vk.preset';
export * from './webex.preset';
export * from './webflow.preset';
export * from './whoop.preset';
export * from './withings.preset';
export * from './wordpress.preset';
export * from './wrike.preset';
export * from './xero.preset';
export * from './yahoo.preset';
export * from './yandex.preset';
export * from './zendesk.preset';
export * from './zoho.preset';
export * from './zoom.preset';

/**
 * Every preset by its default name, for listing providers (docs, admin UIs, tests).
 * @publicApi
 */
export const presets = {
  adobe,
  airtable,
  amazon,
  apple,
  asana,
  atlassian,
  auth0,
  authentiq,
  azure,
  basecamp,
  bitbucket,
  bitly,
  box,
  calendly,
  canva,
  clickup,
  cognito,
  coinbase,
  constantcontact,
  dexcom,
  digitalocean,
  discord,
  docusign,
  dropbox,
  etsy,
  facebook,
  figma,
  fitbit,
  forgejo,
  gitea,
  github,
  gitlab,
  google,
  gusto,
  helpscout,
  heroku,
  hubspot,
  instagram,
  intercom,
  intuit,
  jira,
  kakao,
  keycloak,
  kick,
  klaviyo,
  line,
  linear,
  linkedin,
  mailchimp,
  mastodon,
  meetup,
  mercadolibre,
  mercadopago,
  miro,
  mollie,
  monday,
  naver,
  notion,
  nylas,
  okta,
  onelogin,
  orcid,
  osm,
  osu,
  oura,
  pandadoc,
  patreon,
  paypal,
  pingone,
  pinterest,
  pipedrive,
  reddit,
  sage,
  salesforce,
  shopify,
  slack,
  spotify,
  strava,
  stripe,
  threads,
  tiktok,
  todoist,
  tumblr,
  twitch,
  twitter,
  typeform,
  vimeo,
  vk,
  webex,
  webflow,
  whoop,
  withings,
  wordpress,
  wrike,
  xero,
  yahoo,
  yandex,
  zendesk,
  zoho,
  zoom,
} as const;

/**
 * The name of a shipped preset (`'github'`, `'google'`...).
 * @publicApi
 */
export type PresetName = keyof typeof presets;
