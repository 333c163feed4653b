// Source records come from anywhere (LDAP, CSV, HR APIs). Before JSONata sees them they are copied into
// null-prototype objects without keys that could reach an object prototype or impersonate a JSONata function.

/** Keys that are dropped from source data at any depth. */
export const HOSTILE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Prefix of the keys jsonata uses to mark functions; data must not be able to pose as one. */
const JSONATA_PREFIX = '_jsonata';

/** First characters of the reserved keys: every other key (nearly all of a record's) passes after one lookup. */
const RESERVED_FIRST_CHARACTERS = new Set([...HOSTILE_KEYS, JSONATA_PREFIX].map((key) => key.charCodeAt(0)));

const isReservedKey = (key: string) =>
	RESERVED_FIRST_CHARACTERS.has(key.charCodeAt(0)) && (HOSTILE_KEYS.has(key) || key.startsWith(JSONATA_PREFIX));

export class SourceError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'SourceError';
	}
}

/**
 * Deep copy of a source value that is safe to evaluate: plain objects become null-prototype objects without
 * `__proto__`, `constructor`, `prototype` and `_jsonata*` keys; Buffers/Uint8Arrays are copied as Uint8Array;
 * Dates become ISO strings; BigInts become strings; functions and symbols are dropped. Nesting deeper than
 * `maxDepth` (or a cycle) throws a SourceError.
 */
export function sanitizeSource(value: unknown, maxDepth = 100): unknown {
	return copy(value, 0, maxDepth);
}

function copy(value: unknown, depth: number, maxDepth: number): unknown {
	if (value === null || value === undefined) return value;
	switch (typeof value) {
		case 'string':
		case 'number':
		case 'boolean':
			return value;
		case 'bigint':
			return value.toString();
		case 'function':
		case 'symbol':
			return undefined;
	}
	if (depth >= maxDepth) throw new SourceError(`source record is nested deeper than ${maxDepth} levels`);
	if (value instanceof Uint8Array) return Uint8Array.from(value);
	if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
	if (Array.isArray(value)) {
		const out: unknown[] = [];
		for (const item of value) {
			const copied = copy(item, depth + 1, maxDepth);
			if (copied !== undefined) out.push(copied);
		}
		return out;
	}
	const out = Object.create(null) as Record<string, unknown>;
	for (const key of Object.keys(value as object)) {
		if (isReservedKey(key)) continue;
		const copied = copy((value as Record<string, unknown>)[key], depth + 1, maxDepth);
		if (copied !== undefined) out[key] = copied;
	}
	return out;
}
