/**
 * RFC 7644 section 3.4.2.2 filter values. A compValue string is a JSON string literal, so `\` and `"`
 * must be escaped and control characters written as JSON escapes. Every lookup in the transport builds
 * its filter through these helpers, so a key such as `a"b\c` can never change the filter's meaning.
 */
export function scimFilterValue(value: string): string {
	let out = '"';
	for (const ch of String(value)) {
		const code = ch.codePointAt(0) as number;
		if (ch === '"') out += '\\"';
		else if (ch === '\\') out += '\\\\';
		else if (ch === '\n') out += '\\n';
		else if (ch === '\r') out += '\\r';
		else if (ch === '\t') out += '\\t';
		else if (ch === '\b') out += '\\b';
		else if (ch === '\f') out += '\\f';
		else if (code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029) {
			out += '\\u' + code.toString(16).padStart(4, '0');
		} else out += ch;
	}
	return out + '"';
}

const ATTRIBUTE_PATH = /^(?:urn:[A-Za-z0-9.:_-]+:)?[A-Za-z][A-Za-z0-9_$-]*(?:\.[A-Za-z][A-Za-z0-9_$-]*)?$/;

/** `attribute eq "value"` with the value escaped; the attribute must be a plain SCIM attribute path. */
export function filterEq(attribute: string, value: string): string {
	if (!ATTRIBUTE_PATH.test(attribute)) {
		throw new Error(`"${attribute}" is not a SCIM attribute path that can be used in a filter`);
	}
	return `${attribute} eq ${scimFilterValue(value)}`;
}
