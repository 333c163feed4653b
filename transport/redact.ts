/**
 * The one redaction choke point. Every text that comes from Plek (an error body, a Bulk operation's detail, a
 * network error's message) or from a credential field passes redact() before it reaches an item, an error, its
 * description or a log: the transport applies it where such text comes in (errors.ts, client.ts, auth.ts).
 * No imports, so every part of the transport (and the credential) can use it without a cycle.
 */

const SECRET_KEYS =
	'client_secret|clientSecret|access_token|accessToken|refresh_token|refreshToken|id_token|sessionToken|password|secret|token|authorization|api[_-]?key';

export const REDACTED = '[redacted]';

const REDACTIONS: Array<[RegExp, string]> = [
	// Authorization header values in any shape ("Authorization: Bearer x", {"authorization":"Basic y"}).
	[/\b(Bearer|Basic)\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
	// key=value (form bodies, query strings) and "key": "value" (JSON). A value already redacted stays as it is
	// (matching into "[redacted]" would leave "[redacted]]").
	[new RegExp(`((?:${SECRET_KEYS})["']?\\s*[:=]\\s*["']?)(?!\\[redacted\\])([^"'&,\\s}\\]]+)`, 'gi'), `$1${REDACTED}`],
];

/**
 * Adds a secret to a live list of secrets (a token the moment it is obtained). Every redact() given that list
 * from then on removes it, also from errors built by code that received the list before the token existed.
 */
export function addSecret(secrets: string[], value: unknown): void {
	if (typeof value === 'string' && value.length >= 4 && !secrets.includes(value)) secrets.push(value);
}

/** Removes secrets from a text: known secret values first, then anything that looks like a token or secret. */
export function redact(text: string, secrets: readonly string[] = []): string {
	let out = text;
	// Longest first: a secret that contains another must go whole, not leave fragments around "[redacted]".
	const known = secrets.filter((secret) => secret && secret.length >= 4).sort((a, b) => b.length - a.length);
	for (const secret of known) out = out.split(secret).join(REDACTED);
	for (const [pattern, replacement] of REDACTIONS) out = out.replace(pattern, replacement);
	return out;
}
