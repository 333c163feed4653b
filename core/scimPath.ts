// SCIM attribute paths as Plek profile keys (RFC 7644 section 3.5.2 / 3.10 path syntax, reduced to what a
// profile field needs):
//
//   userName                                  plain attribute
//   name.givenName                            sub-attribute of a complex attribute
//   emails[type eq "work"].value              sub-attribute of the element of a multi-valued attribute
//                                             selected by `subAttr eq "value"` (the only filter supported)
//   urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department          extension attribute
//   urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value       ... and its sub-attribute
//
// Attribute names compare case-insensitively (RFC 7643 section 2.1); the values of filter (`type eq "work"`)
// compare case-insensitively too, as `type` is caseExact=false. This module is free of n8n and of I/O.

import type { PatchOperation, ProfileValue } from './types';

export const CORE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:core:2.0:User';
export const ENTERPRISE_USER_SCHEMA = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PATCH_OP_SCHEMA = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

export interface ScimPathFilter {
	/** The sub-attribute compared, e.g. `type`. */
	attribute: string;
	/** The value it must equal (case-insensitively), e.g. `work`. */
	value: string;
}

export interface ScimPath {
	/** Schema URN of an extension attribute; undefined for core attributes (a core URN prefix is dropped). */
	schema?: string;
	attribute: string;
	filter?: ScimPathFilter;
	subAttribute?: string;
}

export class ScimPathError extends Error {
	constructor(
		readonly path: string,
		problem: string,
	) {
		super(`Invalid SCIM attribute path ${JSON.stringify(path)}: ${problem}`);
		this.name = 'ScimPathError';
	}
}

const ATTRIBUTE_NAME = /^[A-Za-z][A-Za-z0-9_-]*$/;
// `$ref` is a legal sub-attribute name (RFC 7643 section 2.1 allows it for reference sub-attributes).
const SUB_ATTRIBUTE_NAME = /^(?:[A-Za-z][A-Za-z0-9_-]*|\$ref)$/;
const URN = /^urn:[A-Za-z0-9][A-Za-z0-9-]{0,31}:[A-Za-z0-9()+,\-.:=@;$_!*'%/?#]+$/i;
const MAX_PATH_LENGTH = 1000;

function isCoreSchema(urn: string): boolean {
	return urn.toLowerCase() === CORE_USER_SCHEMA.toLowerCase();
}

/** Parses `"..."` (a JSON string literal) at the start of `text`; returns the value and the rest. */
function readQuoted(path: string, text: string): { value: string; rest: string } {
	if (!text.startsWith('"')) {
		throw new ScimPathError(path, 'the filter value must be a double-quoted string, as in [type eq "work"]');
	}
	let i = 1;
	while (i < text.length) {
		const ch = text[i];
		if (ch === '\\') {
			i += 2;
			continue;
		}
		if (ch === '"') break;
		i++;
	}
	if (i >= text.length) throw new ScimPathError(path, 'the filter value has no closing quote');
	const literal = text.slice(0, i + 1);
	let value: unknown;
	try {
		value = JSON.parse(literal);
	} catch {
		value = undefined;
	}
	if (typeof value !== 'string') {
		throw new ScimPathError(path, `the filter value ${literal} is not a valid string literal`);
	}
	return { value, rest: text.slice(i + 1) };
}

function parseFilter(path: string, inner: string): ScimPathFilter {
	const match = /^\s*([A-Za-z][A-Za-z0-9_-]*)\s+(\S+)\s+/.exec(inner);
	if (!match) {
		throw new ScimPathError(path, 'the filter must have the form [subAttribute eq "value"], as in [type eq "work"]');
	}
	if (match[2].toLowerCase() !== 'eq') {
		throw new ScimPathError(path, `only the "eq" operator is supported in a filter, not "${match[2]}"`);
	}
	const { value, rest } = readQuoted(path, inner.slice(match[0].length));
	if (rest.trim() !== '') {
		throw new ScimPathError(path, 'only one comparison (subAttribute eq "value") is supported in a filter');
	}
	return { attribute: match[1], value };
}

/** Splits an extension schema URN off the path: the URN (undefined for a core attribute) and what follows it. */
function splitSchema(path: string): { schema?: string; rest: string } {
	const bracket = path.indexOf('[');
	const head = bracket === -1 ? path : path.slice(0, bracket);
	if (!/^urn:/i.test(head)) {
		if (head.includes(':')) throw new ScimPathError(path, 'a ":" may appear only after a schema URN (urn:...:User:attribute)');
		return { rest: path };
	}
	const colon = head.lastIndexOf(':');
	const schema = head.slice(0, colon);
	const rest = path.slice(colon + 1);
	if (!URN.test(schema) || schema.split(':').length < 3) throw new ScimPathError(path, `"${schema}" is not a valid schema URN`);
	if (rest === '') throw new ScimPathError(path, 'no attribute name after the schema URN');
	return { schema: isCoreSchema(schema) ? undefined : schema, rest };
}

/** `attribute[filter].subAttribute` (after the URN): the filter's closing bracket is found after its quoted value. */
function splitFiltered(path: string, rest: string, open: number): { attribute: string; filter: ScimPathFilter; subAttribute?: string } {
	// The filter value may contain "]", so find the closing bracket after the quoted value.
	const afterOpen = rest.slice(open + 1);
	const quote = afterOpen.indexOf('"');
	let close: number;
	if (quote === -1) {
		close = afterOpen.indexOf(']');
	} else {
		const { rest: afterValue } = readQuoted(path, afterOpen.slice(quote));
		const closeInRest = afterValue.indexOf(']');
		close = closeInRest === -1 ? -1 : afterOpen.length - afterValue.length + closeInRest;
	}
	if (close === -1) throw new ScimPathError(path, 'the filter has no closing "]"');
	const filter = parseFilter(path, afterOpen.slice(0, close));
	const tail = afterOpen.slice(close + 1);
	if (tail === '') return { attribute: rest.slice(0, open), filter };
	if (!tail.startsWith('.')) throw new ScimPathError(path, `unexpected "${tail}" after the filter`);
	return { attribute: rest.slice(0, open), filter, subAttribute: tail.slice(1) };
}

/** The attribute, its filter and sub-attribute of the path after its schema URN. */
function splitAttribute(path: string, rest: string): { attribute: string; filter?: ScimPathFilter; subAttribute?: string } {
	const open = rest.indexOf('[');
	if (open !== -1) return splitFiltered(path, rest, open);
	const parts = rest.split('.');
	if (parts.length > 2) throw new ScimPathError(path, 'SCIM allows one level of sub-attribute (attribute.subAttribute)');
	return { attribute: parts[0], subAttribute: parts[1] };
}

/**
 * Parses a SCIM attribute path. Throws a ScimPathError naming the problem for malformed paths.
 * A core User schema prefix (`urn:ietf:params:scim:schemas:core:2.0:User:userName`) is accepted and dropped.
 */
export function parseScimPath(path: string): ScimPath {
	if (typeof path !== 'string') throw new ScimPathError(String(path), 'a path must be a string');
	if (path.length === 0) throw new ScimPathError(path, 'the path is empty');
	if (path.length > MAX_PATH_LENGTH) throw new ScimPathError(path.slice(0, 40) + '...', 'the path is too long');
	if (path.trim() !== path) throw new ScimPathError(path, 'the path has leading or trailing spaces');

	const { schema, rest } = splitSchema(path);
	const { attribute, filter, subAttribute } = splitAttribute(path, rest);
	if (!ATTRIBUTE_NAME.test(attribute)) {
		throw new ScimPathError(path, attribute === '' ? 'the attribute name is missing' : `"${attribute}" is not a valid attribute name`);
	}
	if (subAttribute !== undefined && !SUB_ATTRIBUTE_NAME.test(subAttribute)) {
		throw new ScimPathError(path, subAttribute === '' ? 'the sub-attribute name after "." is missing' : `"${subAttribute}" is not a valid sub-attribute name`);
	}
	const parsed: ScimPath = { attribute };
	if (schema !== undefined) parsed.schema = schema;
	if (filter !== undefined) parsed.filter = filter;
	if (subAttribute !== undefined) parsed.subAttribute = subAttribute;
	return parsed;
}

/** Formats a parsed path back to its canonical string (the spelling given, filter value re-quoted). */
export function formatScimPath(parsed: ScimPath): string {
	let text = parsed.schema ? `${parsed.schema}:${parsed.attribute}` : parsed.attribute;
	if (parsed.filter) text += `[${parsed.filter.attribute} eq ${JSON.stringify(parsed.filter.value)}]`;
	if (parsed.subAttribute !== undefined) text += `.${parsed.subAttribute}`;
	return text;
}

/**
 * A comparison key for a path: two paths that address the same value get the same key
 * (`Name.GivenName` and `name.givenName`; `emails[type eq "Work"].value` and `emails[TYPE eq "work"].value`).
 */
export function scimPathKey(path: string | ScimPath): string {
	const parsed = typeof path === 'string' ? parseScimPath(path) : path;
	return formatScimPath({
		...parsed,
		filter: parsed.filter && { attribute: parsed.filter.attribute, value: parsed.filter.value.toLowerCase() },
	}).toLowerCase();
}

type Resource = Record<string, unknown>;

function isObject(value: unknown): value is Resource {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The actual property name in `object` matching `name` case-insensitively (the exact spelling wins). */
function findKey(object: Resource, name: string): string | undefined {
	if (Object.prototype.hasOwnProperty.call(object, name)) return name;
	const lower = name.toLowerCase();
	for (const key of Object.keys(object)) if (key.toLowerCase() === lower) return key;
	return undefined;
}

function getCI(object: Resource, name: string): unknown {
	const key = findKey(object, name);
	return key === undefined ? undefined : object[key];
}

function isScalar(value: unknown): value is ProfileValue {
	const type = typeof value;
	return value === null || type === 'string' || type === 'number' || type === 'boolean';
}

function matchesFilter(element: unknown, filter: ScimPathFilter): element is Resource {
	if (!isObject(element)) return false;
	const actual = getCI(element, filter.attribute);
	if (!isScalar(actual) || actual === null) return false;
	const text = String(actual);
	return text === filter.value || text.toLowerCase() === filter.value.toLowerCase();
}

/** The first element matching the filter (a loop: no closure per read). */
function findFiltered(values: readonly unknown[], filter: ScimPathFilter): Resource | undefined {
	for (const element of values) if (matchesFilter(element, filter)) return element;
	return undefined;
}

/** The object holding the path's attribute: the resource itself, or its extension object. */
function containerOf(resource: Resource, parsed: ScimPath): Resource | undefined {
	if (!parsed.schema) return resource;
	const extension = getCI(resource, parsed.schema);
	return isObject(extension) ? extension : undefined;
}

/** For a multi-valued attribute addressed without a filter: the primary element, else the first. */
function primaryOrFirst(values: unknown[]): unknown {
	return values.find((v) => isObject(v) && v.primary === true) ?? values[0];
}

/**
 * Reads the value at a SCIM path from a SCIM resource. Attribute names match case-insensitively.
 * Returns undefined when the value is absent or is not a scalar (a complex value such as a whole address
 * cannot be a profile value). A multi-valued attribute without a filter (`emails.value`) reads the
 * primary element, else the first.
 */
export function readScimPath(resource: unknown, path: string | ScimPath): ProfileValue | undefined {
	if (!isObject(resource)) return undefined;
	const parsed = typeof path === 'string' ? parseScimPath(path) : path;
	const container = containerOf(resource, parsed);
	if (!container) return undefined;
	let value = getCI(container, parsed.attribute);
	if (parsed.filter) {
		if (!Array.isArray(value)) return undefined;
		value = findFiltered(value, parsed.filter);
	} else if (parsed.subAttribute !== undefined && Array.isArray(value)) {
		value = primaryOrFirst(value);
	}
	if (parsed.subAttribute !== undefined) {
		if (!isObject(value)) return undefined;
		value = getCI(value, parsed.subAttribute);
	}
	return isScalar(value) ? value : undefined;
}

/** '' / null / undefined: no value. */
export function isEmptyValue(value: unknown): value is '' | null | undefined {
	return value === undefined || value === null || value === '';
}

function addSchema(resource: Resource, urn: string): void {
	const schemasKey = findKey(resource, 'schemas') ?? 'schemas';
	const current = resource[schemasKey];
	const schemas = Array.isArray(current) ? (current as unknown[]) : [CORE_USER_SCHEMA];
	if (!schemas.some((s) => typeof s === 'string' && s.toLowerCase() === urn.toLowerCase())) schemas.push(urn);
	resource[schemasKey] = schemas;
}

function setCI(object: Resource, name: string, value: unknown): void {
	object[findKey(object, name) ?? name] = value;
}

function deleteCI(object: Resource, name: string): void {
	const key = findKey(object, name);
	if (key !== undefined) delete object[key];
}

/**
 * Writes a value at a SCIM path into a resource (mutates and returns it); used to build create bodies and by
 * in-memory directories applying PATCH operations. An empty value ('' / null / undefined) removes the value
 * (and a multi-valued element or extension object left holding nothing else).
 *
 * - `emails[type eq "work"].value` finds or appends the element `{type: "work", value}`.
 * - an extension path writes under the schema URN object and adds the URN to `schemas`.
 * - `name.givenName` creates the `name` object when needed.
 */
export function writeScimPath<T extends object>(resource: T, path: string | ScimPath, value: ProfileValue | undefined): T {
	const parsed = typeof path === 'string' ? parseScimPath(path) : path;
	const root = resource as unknown as Resource;
	const remove = isEmptyValue(value);
	let container: Resource;
	if (parsed.schema) {
		const existing = containerOf(root, parsed);
		if (!existing) {
			if (remove) return resource;
			container = {};
			root[parsed.schema] = container;
		} else {
			container = existing;
		}
		if (!remove) addSchema(root, parsed.schema);
	} else {
		container = root;
	}
	if (parsed.filter) writeFiltered(root, container, parsed, parsed.filter, value);
	else if (parsed.subAttribute !== undefined) writeSubAttribute(root, container, parsed, parsed.subAttribute, value);
	else if (remove) {
		deleteCI(container, parsed.attribute);
		pruneExtension(root, parsed);
	} else {
		setCI(container, parsed.attribute, value);
	}
	return resource;
}

/** `emails[type eq "work"].value`: finds or appends the element; removing drops an element left empty. */
function writeFiltered(root: Resource, container: Resource, parsed: ScimPath, filter: ScimPathFilter, value: ProfileValue | undefined): void {
	const current = getCI(container, parsed.attribute);
	const list: unknown[] = Array.isArray(current) ? current : [];
	let element = list.find((e) => matchesFilter(e, filter));
	if (isEmptyValue(value)) {
		if (!isObject(element)) return;
		if (parsed.subAttribute === undefined) {
			list.splice(list.indexOf(element), 1);
		} else {
			deleteCI(element, parsed.subAttribute);
			const meaningful = Object.keys(element).filter(
				(k) => k.toLowerCase() !== filter.attribute.toLowerCase() && k.toLowerCase() !== 'primary',
			);
			if (meaningful.length === 0) list.splice(list.indexOf(element), 1);
		}
		if (list.length === 0) deleteCI(container, parsed.attribute);
		pruneExtension(root, parsed);
		return;
	}
	if (parsed.subAttribute === undefined) {
		throw new ScimPathError(formatScimPath(parsed), 'a filtered path needs a sub-attribute to hold a value, as in emails[type eq "work"].value');
	}
	if (!isObject(element)) {
		element = { [filter.attribute]: filter.value };
		list.push(element);
	}
	setCI(element as Resource, parsed.subAttribute, value);
	if (!Array.isArray(current)) setCI(container, parsed.attribute, list);
}

/** `name.givenName` (creates `name` when needed), or a multi-valued attribute's primary (else first) element. */
function writeSubAttribute(root: Resource, container: Resource, parsed: ScimPath, subAttribute: string, value: ProfileValue | undefined): void {
	const current = getCI(container, parsed.attribute);
	const remove = isEmptyValue(value);
	if (Array.isArray(current)) {
		let element = primaryOrFirst(current);
		if (remove) {
			if (isObject(element)) deleteCI(element, subAttribute);
			return;
		}
		if (!isObject(element)) {
			element = {};
			current.push(element);
		}
		setCI(element as Resource, subAttribute, value);
		return;
	}
	if (remove) {
		if (isObject(current)) {
			deleteCI(current, subAttribute);
			if (Object.keys(current).length === 0) deleteCI(container, parsed.attribute);
		}
		pruneExtension(root, parsed);
		return;
	}
	const object = isObject(current) ? current : {};
	setCI(object, subAttribute, value);
	if (!isObject(current)) setCI(container, parsed.attribute, object);
}

function pruneExtension(root: Resource, parsed: ScimPath): void {
	if (!parsed.schema) return;
	const extension = containerOf(root, parsed);
	if (extension && Object.keys(extension).length === 0) deleteCI(root, parsed.schema);
}

/**
 * Paths whose values compare case-insensitively: RFC 7643 declares `userName` and `emails.value`
 * caseExact=false, and SCIM servers commonly store them lower-cased, so an exact comparison would rewrite them
 * on every run.
 */
function isCaseInsensitivePath(parsed: ScimPath): boolean {
	if (parsed.schema) return false;
	if (parsed.attribute.toLowerCase() === 'username') return parsed.subAttribute === undefined && !parsed.filter;
	return isEmailValuePath(parsed);
}

/**
 * The one e-mail decision: whether a path holds an e-mail address, a core `emails` value (`emails.value`,
 * `emails[type eq "work"].value`, or the element `emails[type eq "work"]` whose value it is). Extension
 * attributes named `emails` are not the core attribute. The record rules, the Mapper and the planner all ask this.
 */
export function isEmailValuePath(parsed: ScimPath): boolean {
	return !parsed.schema && parsed.attribute.toLowerCase() === 'emails' && (parsed.subAttribute ?? 'value').toLowerCase() === 'value';
}

/**
 * Whether a source value and a Plek value are the same, for deciding whether to write.
 *
 * - '' / null / undefined are all "empty" and equal to each other.
 * - Otherwise values compare exactly, with no trimming (a changed space is a change: the Mapper trims).
 * - Scalars of different types compare by their text (`5` equals `"5"`, `true` equals `"true"`), because
 *   a server may return the attribute's declared type while a CSV/LDAP source yields text.
 * - When `path` is given and is `userName` or an e-mail value, the comparison ignores case (caseExact=false
 *   in RFC 7643). A case-only change of those is therefore not written.
 */
export function valuesEqual(a: unknown, b: unknown, path?: string | ScimPath): boolean {
	const emptyA = isEmptyValue(a);
	const emptyB = isEmptyValue(b);
	if (emptyA || emptyB) return emptyA && emptyB;
	if (!isScalar(a) || !isScalar(b)) return JSON.stringify(a) === JSON.stringify(b);
	const textA = String(a);
	const textB = String(b);
	if (textA === textB) return true;
	if (path === undefined) return false;
	let parsed: ScimPath;
	try {
		parsed = typeof path === 'string' ? parseScimPath(path) : path;
	} catch {
		return false;
	}
	return isCaseInsensitivePath(parsed) && textA.toLowerCase() === textB.toLowerCase();
}

/** One attribute to write: the path and the new value (empty: remove it). */
export interface AttributeWrite {
	path: string;
	value: ProfileValue | undefined;
	/** The path already parsed (the planner parses each profile path once per run). */
	parsed?: ScimPath;
}

/**
 * Builds RFC 7644 PATCH operations that change `current` to the given values:
 * - a value: `replace` at the path; except a filtered path whose element does not exist yet in `current`
 *   (RFC 7644 makes `replace` on an unmatched filter fail with noTarget): then one `add` of the new element
 *   (`{op: 'add', path: 'emails', value: [{type: 'work', value: ...}]}`), sub-attributes of the same new
 *   element combined;
 * - an empty value: `remove` at the path (only emitted when `current` holds a value there).
 */
export function buildPatchOperations(current: unknown, writes: AttributeWrite[]): PatchOperation[] {
	const operations: PatchOperation[] = [];
	const newElements = new Map<string, { attributePath: string; element: Resource }>();
	for (const write of writes) {
		const parsed = write.parsed ?? parseScimPath(write.path);
		const path = write.parsed ? write.path : formatScimPath(parsed);
		if (isEmptyValue(write.value)) {
			if (readScimPath(current, parsed) !== undefined) operations.push({ op: 'remove', path });
			continue;
		}
		if (parsed.filter && parsed.subAttribute !== undefined && !elementExists(current, parsed)) {
			const attributePath = parsed.schema ? `${parsed.schema}:${parsed.attribute}` : parsed.attribute;
			const groupKey = scimPathKey({ ...parsed, subAttribute: undefined });
			let entry = newElements.get(groupKey);
			if (!entry) {
				entry = { attributePath, element: { [parsed.filter.attribute]: parsed.filter.value } };
				newElements.set(groupKey, entry);
				operations.push({ op: 'add', path: attributePath, value: [entry.element] });
			}
			entry.element[parsed.subAttribute] = write.value;
			continue;
		}
		operations.push({ op: 'replace', path, value: write.value });
	}
	return operations;
}

function elementExists(resource: unknown, parsed: ScimPath): boolean {
	if (!isObject(resource) || !parsed.filter) return false;
	const container = containerOf(resource, parsed);
	if (!container) return false;
	const list = getCI(container, parsed.attribute);
	const filter = parsed.filter;
	return Array.isArray(list) && list.some((e) => matchesFilter(e, filter));
}
