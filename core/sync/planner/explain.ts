// Explain One Person: the query may be a mapping key, a userName or an e-mail address. resolveExplainTarget
// finds the mapping key it means - in the input first, then in Plek - or says why it cannot.
import { DEFAULT_RECORD_LIMITS, parseUserRecord, recordEmails, type ParsedUserRecord } from '../../record';
import type { ScimUser } from '../../types';
import type { ExplainTarget } from '../model';
import { isManaged, show } from './text';

export type { ExplainTarget } from '../model';
import { indexDirectory, type CurrentState, type DirectoryIndex } from './directory';


const same = (a: string | undefined, b: string) => a !== undefined && a.toLowerCase() === b.toLowerCase();

function oneOf(query: string, keys: string[], matchedBy: 'userName' | 'email'): ExplainTarget | undefined {
	const unique = [...new Set(keys)];
	if (unique.length === 0) return undefined;
	if (unique.length === 1) {
		return { query, key: unique[0], matchedBy, note: `Explain ${show(query)}: the ${matchedBy === 'email' ? 'e-mail' : 'userName'} of mapping key ${show(unique[0])}.` };
	}
	return {
		query,
		matchedBy: 'ambiguous',
		candidates: unique,
		note: `Explain ${show(query)}: matches ${unique.length} people (keys ${unique.map((k) => show(k)).join(', ')}); enter one of these mapping keys instead.`,
	};
}

const managedKeys = (users: readonly (ScimUser | undefined)[]) =>
	users.filter((u): u is ScimUser => u !== undefined && isManaged(u)).map((u) => u.externalId as string);

/** Resolves a query against parsed input records and an indexed directory (the planner's own data). */
export function resolveTarget(
	rawQuery: string,
	records: readonly ParsedUserRecord[],
	dir: DirectoryIndex,
	inputKeys?: { has(key: string): boolean },
): ExplainTarget {
	const query = rawQuery.trim();
	const isKey = inputKeys?.has(query) || records.some((r) => r.key === query) || dir.byExternalId.has(query) || dir.duplicateExternalIds.has(query);
	if (isKey) {
		return { query, key: query, matchedBy: 'key', note: `Explain ${show(query)}: a mapping key.` };
	}
	return (
		oneOf(query, records.filter((r) => same(r.userName, query)).map((r) => r.key), 'userName') ??
		oneOf(query, records.filter((r) => recordEmails(r).some((e) => same(e, query))).map((r) => r.key), 'email') ??
		oneOf(query, managedKeys([dir.userByName(query)]), 'userName') ??
		oneOf(query, managedKeys(dir.usersByEmail(query)), 'email') ?? {
			query,
			matchedBy: 'none',
			note: `Explain ${show(query)}: no input record or managed Plek user has this mapping key, userName or e-mail.`,
		}
	);
}

/**
 * The mapping key an Explain query (a mapping key, a userName or an e-mail address) refers to: an input record
 * first, then a managed Plek user. Several matches: no key, the candidates are listed.
 */
export function resolveExplainTarget(query: string, desired: readonly unknown[], current: CurrentState): ExplainTarget {
	const records: ParsedUserRecord[] = [];
	for (const raw of Array.isArray(desired) ? desired : []) {
		const parsed = parseUserRecord(raw, DEFAULT_RECORD_LIMITS);
		if (parsed.ok) records.push(parsed.record);
	}
	return resolveTarget(query, records, indexDirectory(current));
}
