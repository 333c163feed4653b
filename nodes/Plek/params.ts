// The Plek node's parameters, one item at a time: each operation's raw values in (as n8n or an AI agent filled
// them), typed values out, or a ParameterProblem naming the parameter - before any request is made. The node is
// an AI tool, so nothing is trusted: an ID that becomes a URL path segment is one segment (never `..`, `/` or `%`),
// every text passes the record contract's one rule for length and control characters, every choice is one of the
// description's, a switch is true or false. Defaults are each operation's description's.
import { checkProfilePath, checkString, DEFAULT_MAX_STRING_LENGTH, DEFAULT_RECORD_LIMITS, normaliseAttributePath, profileValueProblem } from '../../core/record';
import { formatScimPath, parseScimPath } from '../../core/scimPath';
import type { ProfileValue } from '../../core/types';
import { filterEq } from '../../transport';
import { describe, ParameterProblem, readChoice, readCollection, readFlag, type ParameterSchema } from '../shared/parameters';
import { CUSTOM_PATH, OWN_PARAMETER, parseIdList, type ProfileFieldInput } from './helpers/utils';

/** One parameter's raw value for this item (n8n's getNodeParameter, the description's default when absent). */
export type ParameterSource = (name: string) => unknown;

/** How an operation reads its parameters: the raw values and the operation's own description. */
export type ParameterReader<P> = (get: ParameterSource, schema: ParameterSchema) => P;

export type UserFindBy = 'id' | 'externalId' | 'userName';
export interface UserLocator {
	by: UserFindBy;
	value: string;
}
export type GroupLocator = { by: 'id' | 'name'; value: string };
export type MemberIdType = 'id' | 'externalId';

export const USER_FIND_BY: Readonly<Record<UserFindBy, string>> = { id: 'Plek ID', externalId: 'External ID', userName: 'User Name' };

// What breaks a URL path segment, or lets a server that decodes twice see one: / \ ? # and %. (A space is sent
// encoded; control characters are refused for every text.)
const NOT_ONE_SEGMENT = /[/\\?#%]/;
const ONLY_DOTS = /^\.+$/;

/** A text parameter: a string (a number is taken as its digits), trimmed; anything else is refused. */
function readText(schema: ParameterSchema, name: string, value: unknown, label = schema.label(name)): string {
	if (value === undefined || value === null) return String(schema.defaultOf(name) ?? '').trim();
	if (typeof value === 'string') return value.trim();
	if (typeof value === 'number' && Number.isFinite(value)) return String(value);
	throw new ParameterProblem(label, `${label} must be text, got ${describe(value)}`, 'Enter the value as text, or make the expression return text.');
}

/** The record contract's one length and control-character rule for a text that reaches Plek. */
function checkedText(label: string, value: string, whatToDo: string): string {
	const problem = checkString(value, DEFAULT_MAX_STRING_LENGTH);
	if (problem) throw new ParameterProblem(label, `${label} ${problem}`, whatToDo);
	return value;
}

/** An ID of a Plek user or group as the one path segment it becomes (`/Users/{id}`, `/Groups/{id}`). */
export function checkedPlekId(label: string, value: string, whatToDo: string): string {
	checkedText(label, value, whatToDo);
	if (NOT_ONE_SEGMENT.test(value) || ONLY_DOTS.test(value)) {
		throw new ParameterProblem(label, `${label}: ${describe(value)} is not a Plek ID (an ID has no / \\ ? # or % and is not made of dots)`, whatToDo);
	}
	return value;
}

/** A resource locator's mode and value ({ __rl, mode, value }, or a bare value as an agent may give it). */
function locatorParts(raw: unknown): { mode: unknown; value: unknown } {
	if (raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
		const locator = raw as { mode?: unknown; value?: unknown };
		return { mode: locator.mode ?? 'list', value: locator.value };
	}
	return { mode: 'list', value: raw };
}

/** The User resource locator: From List and By ID hold the Plek ID; By External ID and By User Name are looked up. */
export function readUserLocator(get: ParameterSource, schema: ParameterSchema): UserLocator {
	const { mode, value } = locatorParts(get('user'));
	const by: UserFindBy | undefined = mode === 'list' ? 'id' : typeof mode === 'string' && mode in USER_FIND_BY ? (mode as UserFindBy) : undefined;
	if (!by) throw new ParameterProblem('User', `Unknown User mode ${JSON.stringify(mode)}`, 'Pick a user from the list, or look them up By ID, By External ID or By User Name.');
	const label = `User (${USER_FIND_BY[by]})`;
	const text = readText(schema, 'user', value ?? '', label);
	const whatToDo = 'Pick a user from the list, or enter their Plek ID, External ID or User Name.';
	if (!text) throw new ParameterProblem('User', `The ${USER_FIND_BY[by]} to look the user up by is empty`, whatToDo);
	return { by, value: by === 'id' ? checkedPlekId(label, text, whatToDo) : checkedText(label, text, whatToDo) };
}

/** The Group resource locator: From List and By ID hold the Plek ID; By Name is looked up. */
export function readGroupLocator(get: ParameterSource, schema: ParameterSchema): GroupLocator {
	const { mode, value } = locatorParts(get('group'));
	if (mode !== 'list' && mode !== 'id' && mode !== 'name') {
		throw new ParameterProblem('Group', `Unknown Group mode ${JSON.stringify(mode)}`, 'Pick a group from the list, or give its Plek ID (By ID) or exact name (By Name).');
	}
	const by = mode === 'name' ? 'name' : 'id';
	const label = by === 'name' ? 'Group (Name)' : 'Group (Plek ID)';
	const text = readText(schema, 'group', value ?? '', label);
	const whatToDo = 'Pick a group from the list, or enter its Plek ID or name.';
	if (!text) throw new ParameterProblem('Group', by === 'name' ? 'The group name is empty' : 'No group chosen', whatToDo);
	return { by, value: by === 'id' ? checkedPlekId(label, text, whatToDo) : checkedText(label, text, whatToDo) };
}

/** Return All / Limit: undefined for all, else a whole number of at least 1. */
export function readLimit(get: ParameterSource, schema: ParameterSchema): number | undefined {
	if (readFlag(schema, 'returnAll', get('returnAll'))) return undefined;
	const limit = get('limit') ?? schema.defaultOf('limit');
	if (typeof limit !== 'number' || !Number.isFinite(limit)) {
		throw new ParameterProblem('Limit', `Limit must be a number, got ${describe(limit)}`, 'Enter how many results to return, or switch on Return All.');
	}
	return Math.max(1, Math.floor(limit));
}

// A profile field value from an expression may be anything: text, numbers and true/false pass, null is empty,
// anything else is kept as its JSON text (and then checked like any text).
function profileValue(raw: unknown): ProfileValue {
	if (raw === undefined || raw === null) return null;
	return typeof raw === 'string' || typeof raw === 'number' || typeof raw === 'boolean' ? raw : JSON.stringify(raw);
}

function fieldProblem(path: string, problem: string): ParameterProblem {
	return new ParameterProblem('Profile Fields', `Profile field "${path}" cannot be synced to Plek: ${problem}`, 'Remove this field from Profile Fields, or choose another one.');
}

/**
 * The Profile Fields of an item, checked by the record contract's rules that need no schema (refused and hostile
 * paths, one length limit, control characters, e-mail addresses); Plek's /Schemas is checked when the operation runs.
 */
export function readProfileFields(get: ParameterSource): ProfileFieldInput[] {
	const entries = readCollection(get('profileFields')).field;
	const out: ProfileFieldInput[] = [];
	const seen = new Set<string>();
	for (const [position, item] of (Array.isArray(entries) ? entries : []).entries()) {
		const entry = readCollection(item);
		const chosen = typeof entry.path === 'string' ? entry.path.trim() : '';
		const path = chosen === CUSTOM_PATH ? (typeof entry.customPath === 'string' ? entry.customPath.trim() : '') : chosen;
		if (!path) {
			throw new ParameterProblem('Profile Fields', `Profile field ${position + 1} has no field path`, 'Choose a field from the list, or choose "Enter a Path" and type a SCIM attribute path such as title.');
		}
		const value = profileValue(entry.value);
		const own = OWN_PARAMETER.get(normaliseAttributePath(path));
		const problem = own ? `${path} is not a profile field: set it with ${own}` : (checkProfilePath(path) ?? profileValueProblem(path, value, DEFAULT_RECORD_LIMITS));
		if (problem) throw fieldProblem(path, problem);
		const canonical = formatScimPath(parseScimPath(path)).toLowerCase();
		if (seen.has(canonical)) throw new ParameterProblem('Profile Fields', `Profile field "${path}" is set twice`, 'List each profile field once.');
		seen.add(canonical);
		out.push({ path, value });
	}
	return out;
}

export interface GetUserParams {
	user: UserLocator;
	output: 'simplified' | 'raw' | 'fields';
	fields: string[];
}

export const readGetUser: ParameterReader<GetUserParams> = (get, schema) => {
	const output = readChoice<GetUserParams['output']>(schema, 'output', get('output'));
	const fields = output === 'fields' ? readText(schema, 'fields', get('fields')).split(',') : [];
	return { user: readUserLocator(get, schema), output, fields };
};

export const readUserTarget: ParameterReader<{ user: UserLocator }> = (get, schema) => ({ user: readUserLocator(get, schema) });

export interface GetManyUsersParams {
	limit?: number;
	/** The SCIM filter ('' for none), built and escaped here: an attribute that is not a plain path is refused. */
	filter: string;
}

export const readGetManyUsers: ParameterReader<GetManyUsersParams> = (get, schema) => {
	const limit = readLimit(get, schema);
	const filterType = readChoice(schema, 'filterType', get('filterType'));
	if (filterType === 'attribute') {
		const attribute = readText(schema, 'filterAttribute', get('filterAttribute'));
		const value = checkedText('Value', readRawText(schema, 'filterValue', get('filterValue')), 'Enter the value without line breaks or other invisible characters.');
		const built = attributeFilter(attribute, value);
		if (built.problem !== undefined) throw new ParameterProblem('Attribute', built.problem, 'Use a plain attribute path such as userName, emails.value or name.familyName.');
		return { limit, filter: built.filter };
	}
	if (filterType === 'raw') {
		const filter = checkedText('SCIM Filter', readText(schema, 'filter', get('filter')), 'Write the filter on one line.');
		if (!filter) throw new ParameterProblem('SCIM Filter', 'The SCIM filter is empty', 'Write a filter such as userName eq "j.jansen@acme.nl", or choose another Filter.');
		return { limit, filter };
	}
	return { limit, filter: '' };
};

/** The escaped `attribute eq "value"` filter, or why the attribute is not a plain path (the transport's rule). */
function attributeFilter(attribute: string, value: string): { filter: string; problem?: undefined } | { filter?: undefined; problem: string } {
	try {
		return { filter: filterEq(attribute, value) };
	} catch (error) {
		return { problem: (error as Error).message };
	}
}

/** A text used as written (not trimmed): a filter value compares exactly. */
function readRawText(schema: ParameterSchema, name: string, value: unknown): string {
	if (typeof value === 'string') return value;
	return readText(schema, name, value);
}

export interface CreateUserParams {
	userName: string;
	externalId: string;
	active: boolean;
	fields: ProfileFieldInput[];
}

export const readCreateUser: ParameterReader<CreateUserParams> = (get, schema) => {
	const userName = readText(schema, 'userName', get('userName'));
	if (!userName) throw new ParameterProblem('User Name', 'The User Name is empty', 'Enter the login name of the new user, usually their e-mail address.');
	return {
		userName: checkedText('User Name', userName, 'Enter the login name without line breaks or other invisible characters.'),
		externalId: checkedText('External ID', readText(schema, 'externalId', get('externalId')), 'Enter the mapping key without line breaks or other invisible characters.'),
		active: readFlag(schema, 'active', get('active')),
		fields: readProfileFields(get),
	};
};

export interface UpdateUserParams {
	user: UserLocator;
	fields: ProfileFieldInput[];
	clearEmptyValues: boolean;
}

export const readUpdateUser: ParameterReader<UpdateUserParams> = (get, schema) => {
	const options = readCollection(get('options'));
	return {
		user: readUserLocator(get, schema),
		fields: readProfileFields(get),
		clearEmptyValues: readFlag(schema, 'options.clearEmptyValues', options.clearEmptyValues),
	};
};

export interface GetManyGroupsParams {
	limit?: number;
	/** Only the group with exactly this name ('' for all). */
	displayName: string;
	includeMembers: boolean;
}

export const readGetManyGroups: ParameterReader<GetManyGroupsParams> = (get, schema) => {
	const filters = readCollection(get('filters'));
	const options = readCollection(get('options'));
	return {
		limit: readLimit(get, schema),
		displayName: checkedText('Filters › Display Name', readText(schema, 'filters.displayName', filters.displayName), 'Enter the exact group name.'),
		includeMembers: readFlag(schema, 'options.includeMembers', options.includeMembers),
	};
};

export interface MemberParams {
	group: GroupLocator;
	idType: MemberIdType;
	ids: string[];
}

/** Add Members / Remove Members: the group, what the IDs are, and every ID checked before any is looked up. */
export const readMembers: ParameterReader<MemberParams> = (get, schema) => {
	const group = readGroupLocator(get, schema);
	const idType = readChoice<MemberIdType>(schema, 'memberIdType', get('memberIdType'));
	const raw = get('members');
	if (raw !== undefined && raw !== null && typeof raw === 'object' && !Array.isArray(raw)) {
		throw new ParameterProblem('Members', `Members must be a list of IDs or text, got ${describe(raw)}`, 'Enter IDs separated by commas, or an expression that returns a list.');
	}
	if (Array.isArray(raw) && raw.some((id) => typeof id !== 'string' && typeof id !== 'number')) {
		throw new ParameterProblem('Members', 'Members must be a list of IDs (text or numbers)', 'Make the expression return a list of IDs, or text with IDs separated by commas.');
	}
	const ids = parseIdList(raw);
	if (ids.length === 0) throw new ParameterProblem('Members', 'No members given', 'Enter one or more IDs, separated by commas, or an expression that returns a list.');
	const whatToDo = idType === 'id' ? 'Give Plek IDs as Plek shows them, or set Members Given As to External IDs.' : 'Give the mapping keys (External IDs) without line breaks or other invisible characters.';
	for (const id of ids) {
		if (idType === 'id') checkedPlekId('Members', id, whatToDo);
		else checkedText('Members', id, whatToDo);
	}
	return { group, idType, ids };
};
