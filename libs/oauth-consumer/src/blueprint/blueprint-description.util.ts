import { REDACTED } from '../redaction/redact.util';
import { BlueprintOptions } from './blueprint-options.interface';

/** Options whose whole value is a credential (client secret, RSA or JWT signing keys...). */
const SECRET_OPTION =
  /secret|private|password|passphrase|credential|assertion|jwks?$/i;
/** Options that map names to values sent to the provider, which may carry credentials. */
const SECRET_VALUED_MAPS = new Set([
  'headers',
  'tokenHeaders',
  'tokenParams',
  'refreshParams',
]);

/**
 * A blueprint's options as they may be printed: every credential replaced by `[redacted]`
 * (the client secret, keys, the values of extra headers and token parameters), functions and
 * classes by their kind, everything else (URLs, client id, scopes) as configured.
 */
export function printableBlueprintOptions(
  options: Readonly<BlueprintOptions>,
): Record<string, unknown> {
  const printable: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    printable[name] = printableOption(name, value);
  }
  return printable;
}

function printableOption(name: string, value: unknown): unknown {
  if (SECRET_OPTION.test(name)) return REDACTED;
  if (typeof value === 'function') {
    return /^class\b/.test(Function.prototype.toString.call(value))
      ? `[class ${(value as { name?: string }).name || 'anonymous'}]`
      : '[function]';
  }
  if (
    SECRET_VALUED_MAPS.has(name) &&
    typeof value === 'object' &&
    value !== null
  ) {
    return Object.fromEntries(Object.keys(value).map((key) => [key, REDACTED]));
  }
  return value;
}
