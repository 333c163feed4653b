/**
 * The one filter shape provisioning clients send all the time, `<attribute> eq "<value>"`, parsed per RFC 7644:
 * the value is a JSON string, so `\"` and `\\` are escapes. scimmy's own Filter parser (1.3.5) does not
 * unescape string values and refuses `"a\"b"` outright, so the sandbox answers this shape itself (which also
 * lets it use its indexes) and hands every other filter to scimmy.
 */
export interface EqualityFilter {
	attribute: string;
	value: string;
}

const EQUALITY = /^\s*([A-Za-z][\w$.:-]*)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$/i;

/** Returns the parsed equality, null when the filter has another shape, or throws on a broken escape. */
export function parseEqualityFilter(filter: string, options: { unescapeBackslashes?: boolean } = {}): EqualityFilter | null {
	const match = EQUALITY.exec(filter);
	if (!match) return null;
	// The backslashNotUnescaped quirk: only \" is read as a quote; every other backslash stays as it is.
	if (options.unescapeBackslashes === false) return { attribute: match[1], value: match[2].replace(/\\"/g, '"') };
	let value: unknown;
	try {
		value = JSON.parse(`"${match[2]}"`);
	} catch {
		throw new Error(`Invalid escape sequence in filter value: ${filter}`);
	}
	return { attribute: match[1], value: value as string };
}

/**
 * Reads a dotted attribute path (`name.givenName`, `emails.value`, or an extension URN followed by `:attr`)
 * from a resource; multi-valued attributes yield every element's value.
 */
export function valuesAt(resource: Record<string, any>, attributePath: string): unknown[] {
	let base: any = resource;
	let path = attributePath;
	const urnEnd = attributePath.lastIndexOf(':');
	if (attributePath.toLowerCase().startsWith('urn:') && urnEnd > 0) {
		const urn = attributePath.slice(0, urnEnd);
		const extensionKey = Object.keys(resource).find((key) => key.toLowerCase() === urn.toLowerCase());
		base = extensionKey ? resource[extensionKey] : undefined;
		path = attributePath.slice(urnEnd + 1);
	}
	let current: unknown[] = [base];
	for (const segment of path.split('.')) {
		const next: unknown[] = [];
		for (const value of current) {
			if (value === null || typeof value !== 'object') continue;
			const key = Object.keys(value).find((k) => k.toLowerCase() === segment.toLowerCase());
			if (key === undefined) continue;
			const child = (value as Record<string, unknown>)[key];
			if (Array.isArray(child)) next.push(...child);
			else next.push(child);
		}
		current = next;
	}
	return current.filter((value) => value !== undefined && value !== null);
}
