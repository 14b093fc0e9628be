/**
 * Code points a `Location` value may not carry as they are: controls, space, `"`, `<`, `>`,
 * `` ` ``, `{`, `}`, DEL and everything past ASCII; and a `%` that starts no `%XX` escape.
 * The same set as Express's `res.location` (through `encodeurl`) encodes.
 */
const UNSAFE_IN_LOCATION =
  /[^\x21\x23-\x3b\x3d\x3f-\x5f\x61-\x7a\x7c\x7e%]|%(?![0-9A-Fa-f]{2})/gu;
/** A UTF-16 surrogate without its pair: no UTF-8 form, replaced by U+FFFD as `encodeurl` does. */
const LONE_SURROGATE =
  /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * `url` as a `Location` header value: the characters a header or URL cannot carry are
 * percent-encoded (UTF-8), escapes already there are kept. A URL that needs nothing (every URL
 * the dance builds) is returned as it is, after one regular-expression test.
 */
export function locationHeaderValue(url: string): string {
  UNSAFE_IN_LOCATION.lastIndex = 0;
  if (!UNSAFE_IN_LOCATION.test(url)) return url;
  UNSAFE_IN_LOCATION.lastIndex = 0;
  return url
    .replace(LONE_SURROGATE, '\ufffd')
    .replace(UNSAFE_IN_LOCATION, (unsafe) =>
      unsafe === '%' ? '%25' : encodeURIComponent(unsafe),
    );
}
