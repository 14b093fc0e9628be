/**
 * Injection token of the bound `RefreshLock` (`RefreshLock` itself resolves to the same instance).
 * @publicApi
 */
export const REFRESH_LOCK = Symbol.for('nest-dance:REFRESH_LOCK');
