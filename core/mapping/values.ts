// The smallest helpers every Mapper helper reads its input with (helpers.ts, nameCase.ts, dutchNames.ts):
// nothing depends on anything here, so the helper modules import it without importing each other.

/** A missing input: JSONata's nothing, or null. */
export const isMissing = (value: unknown): value is null | undefined => value === undefined || value === null;

/** First element of an array (LDAP multi-valued attribute, JSONata sequence), otherwise the value itself. */
export function ldapFirst(value: unknown): unknown {
	if (Array.isArray(value)) return value.length > 0 ? value[0] : undefined;
	return value;
}

/** A value as a failure message shows it (cut after 80 characters). */
export function describe(value: unknown): string {
	const text = typeof value === 'string' ? `'${value}'` : JSON.stringify(value);
	return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
