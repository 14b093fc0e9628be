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
}

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
