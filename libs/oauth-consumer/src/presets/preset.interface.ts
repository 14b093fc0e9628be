import { BlueprintOptions } from '../blueprint/blueprint-options.interface';
import { PresetOptions } from './preset-options.interface';

/**
 * What a preset knows about its provider, beyond the blueprint it returns: used by
 * `docs/providers.md` and by anyone listing providers in a UI.
 * @publicApi
 */
export interface PresetInfo {
  /** The default blueprint name and the key in `presets` (e.g. `github`). */
  readonly name: string;
  /** The provider's display name (e.g. `GitHub`). */
  readonly title: string;
  /** Where an app's client id and secret are issued. */
  readonly console: string;
  /** Which scopes matter, in one sentence. */
  readonly scopes: string;
  /** The scopes asked for when the app gives none. */
  readonly defaultScope: readonly string[];
  /** The preset's own options, each with what it does. */
  readonly options: Readonly<Record<string, string>>;
  /** Whether Flask-Dance 7.1 ships this provider too. */
  readonly flaskDance: boolean;
  /** Values for the preset's required options, as an example (docs are generated with them). */
  readonly example?: Readonly<Record<string, string | boolean>>;
  /** Quirks worth knowing before using the provider. */
  readonly notes?: string;
  /** Which page of the provider's documentation the preset was checked against, and when. */
  readonly verification: PresetVerification;
}

/**
 * A preset checked against its provider's documentation: the page, the day, what it says.
 * @publicApi
 */
export interface PresetVerified {
  /** The day the preset was compared with the page (ISO date, e.g. `2026-12-01`). */
  readonly checkedOn: string;
  /** The provider's own documentation page the endpoints and policies were compared with. */
  readonly page: string;
  /** Whether that page says each refresh issues a new refresh token and retires the old one. */
  readonly rotating?: boolean;
  /** What the check found or changed, when worth saying (shown in `docs/providers.md`). */
  readonly notes?: string;
}

/**
 * A preset that could not be checked against its provider's documentation, and why.
 * @publicApi
 */
export interface PresetUnverified {
  /** Why: no public documentation, documentation behind a partner login... */
  readonly unverified: string;
}

/**
 * Where and when a preset was checked, or why it could not be.
 * @publicApi
 */
export type PresetVerification = PresetVerified | PresetUnverified;

/**
 * A provider preset: a function from options to `BlueprintOptions`, carrying its `info`
 * (OAuth 2.0 presets take `PresetOptions`; OAuth 1.0a ones such as `jira` their own).
 * @publicApi
 */
export interface Preset<O extends object = PresetOptions> {
  (options: O): BlueprintOptions;
  /** What the preset knows about its provider. */
  readonly info: PresetInfo;
}

/**
 * The part of `BlueprintOptions` a preset decides; the common options fill the rest.
 * Refresh, PKCE, scope separator and client authentication must be stated, never left to defaults.
 * @publicApi
 */
export type PresetDefaults = Omit<
  BlueprintOptions,
  | 'name'
  | 'clientId'
  | 'clientSecret'
  | 'redirectUrl'
  | 'redirectTo'
  | 'storage'
> &
  Required<
    Pick<
      BlueprintOptions,
      'pkce' | 'refreshUrl' | 'scopeSeparator' | 'tokenAuthMethod'
    >
  >;
