// PATCH dialects: some SCIM servers refuse filtered paths (`emails[type eq "work"].value`) or path-less value
// objects. The fallback replaces the whole multi-valued attribute, computed from the user's current value with
// every element the change does not touch kept as it is.
import { parseScimPath, writeScimPath } from '../core/scimPath';
import type { PatchOperation, ProfileValue, ScimUser } from '../core/types';

/** scimTypes with which a server says it does not understand the form of a path. */
export const DIALECT_SCIM_TYPES = new Set(['invalidPath', 'invalidFilter', 'noTarget', 'invalidSyntax']);

function isObject(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The attribute (with its extension URN) a filtered path addresses, or undefined for a plain path. */
function filteredAttribute(path: string | undefined): string | undefined {
	if (!path || !path.includes('[')) return undefined;
	try {
		const parsed = parseScimPath(path);
		return parsed.filter ? (parsed.schema ? `${parsed.schema}:${parsed.attribute}` : parsed.attribute) : undefined;
	} catch {
		return undefined;
	}
}

/** Whether operations use a form the plain dialect rewrites: a filtered path or a path-less value object. */
export function usesRichDialect(operations: readonly PatchOperation[]): boolean {
	return operations.some((op) => filteredAttribute(op.path) !== undefined || (!op.path && isObject(op.value)));
}

function attributeKey(path: string): string {
	const parsed = parseScimPath(path);
	return (parsed.schema ? `${parsed.schema}:${parsed.attribute}` : parsed.attribute).toLowerCase();
}

function readAttribute(resource: Record<string, unknown>, attributePath: string): unknown {
	const parsed = parseScimPath(attributePath);
	const container = parsed.schema ? resource[parsed.schema] : resource;
	if (!isObject(container)) return undefined;
	const key = Object.keys(container).find((k) => k.toLowerCase() === parsed.attribute.toLowerCase());
	return key === undefined ? undefined : container[key];
}

/** Applies one operation on a multi-valued attribute to a copy of the user. */
function fold(copy: Record<string, unknown>, op: PatchOperation): void {
	const path = op.path as string;
	if (filteredAttribute(path) !== undefined) {
		writeScimPath(copy, path, op.op === 'remove' ? undefined : (op.value as ProfileValue));
		return;
	}
	// A plain path on the same attribute: `add` appends elements, `replace` sets the list, `remove` clears it.
	const parsed = parseScimPath(path);
	const container = (parsed.schema ? ((copy[parsed.schema] ??= {}) as Record<string, unknown>) : copy) as Record<string, unknown>;
	const key = Object.keys(container).find((k) => k.toLowerCase() === parsed.attribute.toLowerCase()) ?? parsed.attribute;
	if (op.op === 'remove') delete container[key];
	else if (op.op === 'add' && Array.isArray(op.value)) container[key] = [...(Array.isArray(container[key]) ? (container[key] as unknown[]) : []), ...op.value];
	else container[key] = op.value;
}

/**
 * The same change in the plain dialect: path-less value objects become one operation per attribute, and every
 * multi-valued attribute touched by a filtered path becomes one `replace` of the whole list (or `remove` when
 * nothing is left), computed from `current`.
 */
export function toPlainDialect(operations: readonly PatchOperation[], current: ScimUser): PatchOperation[] {
	const expanded: PatchOperation[] = operations.flatMap((op) =>
		!op.path && isObject(op.value) ? Object.entries(op.value).map(([path, value]) => ({ op: op.op, path, value })) : [op],
	);
	const rewritten = new Map<string, string>();
	for (const op of expanded) {
		const attribute = filteredAttribute(op.path);
		if (attribute) rewritten.set(attribute.toLowerCase(), attribute);
	}
	if (rewritten.size === 0) return expanded;
	const copy = JSON.parse(JSON.stringify(current)) as Record<string, unknown>;
	const out: PatchOperation[] = [];
	const emitted = new Set<string>();
	for (const op of expanded) {
		const key = op.path ? attributeKey(op.path) : undefined;
		if (key === undefined || !rewritten.has(key)) {
			out.push(op);
			continue;
		}
		fold(copy, op);
		if (emitted.has(key)) continue;
		emitted.add(key);
		out.push({ op: 'replace', path: rewritten.get(key) as string, value: undefined });
	}
	// The folded lists are complete only now: fill in the replace values.
	for (const op of out) {
		if (op.value !== undefined || !op.path || !rewritten.has(op.path.toLowerCase())) continue;
		const list = readAttribute(copy, op.path);
		if (Array.isArray(list) && list.length > 0) op.value = list;
		else {
			op.op = 'remove';
			delete op.value;
		}
	}
	return out;
}
