/** The shapes of the UI string tables (web/src/app/i18n.ts and each feature's i18n.ts). */

/** One label per value of a contract's list (a missing or extra value fails typecheck). */
export type Labels<T extends readonly string[]> = Record<T[number], string>;

/** A table with the keys of another — English typed against Chinese, so a missing string fails typecheck. */
export type Messages<T> = { [K in keyof T]: T[K] extends string ? string : Messages<T[K]> };
